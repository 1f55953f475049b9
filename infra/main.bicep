// Réso Solidaire backend on Azure: `azd up` from the repository root provisions this template.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds the resource token.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer Flex Consumption (francecentral does).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the operator (the signed-in user, or the deployment service principal) who may rotate secrets in Key Vault; empty for none.')
param principalId string = ''

@description('Origins of the website allowed to call the public functions from a browser, separated by commas, e.g. https://www.reso-solidaire.fr,https://reso-solidaire.fr.')
@minLength(1)
param websiteOrigins string

@secure()
@description('SendGrid API key (Mail Send permission). Empty keeps the value already in Key Vault.')
param sendGridApiKey string = ''

@secure()
@description('Key signing the links sent by mail, at least 32 random bytes in base64. Empty keeps the value already in Key Vault.')
param tokenSigningKey string = ''

@secure()
@description('Key of the keyed hash that turns a client address into a rate-limit identity, at least 32 characters. Empty keeps the value already in Key Vault.')
param formsClientHashKey string = ''

@secure()
@description('Key of the keyed hash of e-mail addresses (suppression list, subscribers, audit log), at least 32 characters. Set it once: a new key orphans every stored address key and lifts the opt-outs. Empty keeps the value already in Key Vault.')
param privacyEmailHashKey string = ''

@description('Application (client) id of the Entra app registration staff sign in with (docs/deploy.md, « Staff sign-in »).')
param staffAuthClientId string

@description('Entra tenant of that app registration; the deployment\'s tenant by default.')
param staffAuthTenantId string = tenant().tenantId

@description('Base address of the SendGrid API.')
param sendGridHost string = 'https://api.sendgrid.com'

@description('Sender address of every mail; its domain must be authenticated in SendGrid.')
param mailFromAddress string

@description('Sender name of every mail.')
param mailFromName string = 'Réso Solidaire'

@description('Staff mailboxes notified of submissions, separated by commas.')
param mailStaffRecipients string

@description('Verification key of SendGrid\'s signed Event Webhook (Settings > Mail Settings > Event Webhook), base64.')
param sendGridWebhookPublicKey string

@description('Public base address of the API, ending with /api/, if it has a custom domain; empty for the Function App\'s own address.')
param newsletterPublicBaseUrl string = ''

@description('Mailbox of the mailto: part of List-Unsubscribe; empty for the first of mailStaffRecipients.')
param newsletterUnsubscribeMailto string = ''

@description('Thank-you page of the website, where a form posted without JavaScript lands; on one of the website origins.')
param formsThankYouUrl string

@description('Staff recipients of contact messages, separated by commas; empty sends them to mailStaffRecipients.')
param formsContactRecipients string = ''

@description('Staff recipients of porteur-de-projet intakes, separated by commas; empty sends them to mailStaffRecipients.')
param formsPorteursRecipients string = ''

@description('Upper bound of instances Flex Consumption may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Always-ready instances for the HTTP functions, for staff who want warm pages: each one is billed for every second of the month (docs/cost.md). 0 lets the app scale to zero.')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 0

@description('Days Log Analytics keeps logs and telemetry (30 to 730); more than 31 days adds a retention charge per GB.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Daily ingestion cap of the Log Analytics workspace, in GB, as text (e.g. \'0.2\'); past it, logs stop until the next day (UTC).')
param logDailyCapGb string = '0.2'

@description('Redundancy of the storage account: Standard_ZRS keeps the data through the loss of a datacenter for a few cents a month more (docs/cost.md); an account created as Standard_LRS keeps it until converted.')
@allowed(['Standard_LRS', 'Standard_ZRS'])
param storageSku string = 'Standard_ZRS'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
// A comma-separated string rather than an array: every azd version passes it through an environment variable as is.
var allowedOrigins = map(filter(split(websiteOrigins, ','), origin => !empty(trim(origin))), origin => trim(origin))
var deploymentContainerName = 'app-package'
var secretNames = {
  sendGridApiKey: 'sendgrid-api-key'
  tokenSigningKey: 'token-signing-key'
  formsClientHashKey: 'forms-client-hash-key'
  privacyEmailHashKey: 'privacy-email-hash-key'
}
// Names are decided here, before deployment, so that role assignment names are known to What-If.
var names = {
  identity: 'id-api-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  functionApp: 'func-api-${resourceToken}'
  plan: 'plan-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    dailyCapGb: logDailyCapGb
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    skuName: storageSku
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    secrets: {
      '${secretNames.sendGridApiKey}': sendGridApiKey
      '${secretNames.tokenSigningKey}': tokenSigningKey
      '${secretNames.formsClientHashKey}': formsClientHashKey
      '${secretNames.privacyEmailHashKey}': privacyEmailHashKey
    }
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  dependsOn: [storage, keyVault, monitoring]
  params: {
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    appIdentityName: names.identity
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: principalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    allowedOrigins: allowedOrigins
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    keyVaultUri: keyVault.outputs.uri
    secretNames: secretNames
    sendGridHost: sendGridHost
    sendGridWebhookPublicKey: sendGridWebhookPublicKey
    mailFromAddress: mailFromAddress
    mailFromName: mailFromName
    mailStaffRecipients: mailStaffRecipients
    formsThankYouUrl: formsThankYouUrl
    formsContactRecipients: formsContactRecipients
    formsPorteursRecipients: formsPorteursRecipients
    newsletterPublicBaseUrl: newsletterPublicBaseUrl
    staffAuthClientId: staffAuthClientId
    staffAuthTenantId: staffAuthTenantId
    // An empty address would fail the app's validation at start: default to a staff mailbox.
    newsletterUnsubscribeMailto: empty(newsletterUnsubscribeMailto) ? trim(split(mailStaffRecipients, [',', ';'])[0]) : newsletterUnsubscribeMailto
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output SERVICE_API_ENDPOINT_URL string = 'https://${api.outputs.defaultHostName}/api'
