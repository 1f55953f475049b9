@description('Key Vault holding the secrets the app reads through Key Vault references.')
param name string
param location string
param tags object

@secure()
@description('Secret values by secret name. An empty value leaves the secret already in the vault as it is.')
param secrets object

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
resource secret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = [
  for item in items(secrets): if (!empty(item.value)) {
    parent: vault
    name: item.key
    properties: {
      value: item.value
      contentType: 'text/plain'
    }
  }
]

output name string = vault.name
// Ends with a slash; app settings append `secrets/<name>` (versionless, so a new version is picked up).
output uri string = vault.properties.vaultUri
