@description('Key Vault holding the secrets the app reads through Key Vault references.')
param name string
param location string
param tags object

@secure()
@description('SendGrid API key; left empty, the secret already in the vault is kept.')
param sendGridApiKey string

@secure()
@description('Key that signs the links sent by mail (confirm, unsubscribe); left empty, the secret already in the vault is kept.')
param tokenSigningKey string

var sendGridApiKeySecretName = 'sendgrid-api-key'
var tokenSigningKeySecretName = 'token-signing-key'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access is granted with Azure RBAC role assignments, never with access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

// A secret is only written when a value is given, so that a later `azd provision` without the
// environment variable never blanks a key that an operator rotated in the vault.
resource sendGridApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: sendGridApiKeySecretName
  properties: {
    value: sendGridApiKey
    contentType: 'text/plain'
  }
}

resource tokenSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(tokenSigningKey)) {
  parent: vault
  name: tokenSigningKeySecretName
  properties: {
    value: tokenSigningKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
// Versionless URIs: the app follows the newest version of each secret (rotation without redeploying).
output sendGridApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${sendGridApiKeySecretName}'
output tokenSigningKeySecretUri string = '${vault.properties.vaultUri}secrets/${tokenSigningKeySecretName}'
