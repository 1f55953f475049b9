// The function app on Flex Consumption, running as a user-assigned managed identity.
// Every setting the code reads is written in `appSettings` below, as one literal object: the drift
// test (tests/ResoSolidaire.Functions.Tests/Deployment) reads it from the compiled template.
param name string
param planName string
param location string
param tags object

@description('Name azd knows the service by (azure.yaml).')
param serviceName string = 'api'

param identityId string
param identityClientId string

param storageAccountName string
param blobEndpoint string
param tableEndpoint string
param deploymentContainerName string

param applicationInsightsConnectionString string

@description('Origins of the website allowed to call the public functions from a browser.')
param allowedOrigins string[]

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances of the HTTP functions (forms, staff); 0 scales them to zero when nobody calls.')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int

@description('URI of the Key Vault, ending with a slash.')
param keyVaultUri string

@description('Names of the Key Vault secrets the app settings refer to.')
param secretNames {
  sendGridApiKey: string
  tokenSigningKey: string
  formsClientHashKey: string
  privacyEmailHashKey: string
}

param sendGridHost string
param mailFromAddress string
param mailFromName string
param mailStaffRecipients string

param sendGridWebhookPublicKey string

param formsThankYouUrl string
param formsContactRecipients string
param formsPorteursRecipients string

@description('Public base address of the API, ending with /api/; empty for the Function App\'s default host name.')
param newsletterPublicBaseUrl string
param newsletterUnsubscribeMailto string

@description('Application (client) id of the Entra app registration of the staff console and API.')
param staffAuthClientId string

@description('Tenant of that app registration.')
param staffAuthTenantId string


// Versionless references: a new version of a secret reaches the app without a deployment.
func keyVaultReference(vaultUri string, secretName string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName})'

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the user-assigned identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // Billed every second of the month whether called or not (docs/cost.md): none unless the operator asks.
        alwaysReady: alwaysReadyHttpInstances == 0 ? [] : [
          {
            name: 'http'
            instanceCount: alwaysReadyHttpInstances
          }
        ]
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Flex Consumption takes the worker runtime from functionAppConfig.runtime: FUNCTIONS_WORKER_RUNTIME,
  // FUNCTIONS_EXTENSION_VERSION and WEBSITE_TIME_ZONE are not app settings there.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host storage, reached with the managed identity.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId

      // Telemetry, sent with the managed identity (the component refuses key-only ingestion).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

      // StorageOptions: service URIs and the managed identity (a connection string is for Azurite only).
      Storage__TableServiceUri: tableEndpoint
      Storage__BlobServiceUri: blobEndpoint
      Storage__ClientId: identityClientId

      // SendGridOptions
      SendGrid__ApiKey: keyVaultReference(keyVaultUri, secretNames.sendGridApiKey)
      SendGrid__Host: sendGridHost

      // WebhookOptions: verification of SendGrid's signed Event Webhook (a public key, not a secret).
      SendGrid__WebhookPublicKey: sendGridWebhookPublicKey
      SendGrid__WebhookMaxAge: '00:10:00'

      // MailOptions
      Mail__FromAddress: mailFromAddress
      Mail__FromName: mailFromName
      Mail__StaffRecipients: mailStaffRecipients

      // TokenOptions: the key signing the links sent by mail (confirm, unsubscribe).
      Tokens__SigningKey: keyVaultReference(keyVaultUri, secretNames.tokenSigningKey)

      // FormsOptions: the website's forms. Per-topic recipients (Forms__TopicRecipients__<topic>) are optional.
      Forms__ThankYouUrl: formsThankYouUrl
      Forms__AllowedRedirectOrigins: join(allowedOrigins, ',')
      Forms__ClientHashKey: keyVaultReference(keyVaultUri, secretNames.formsClientHashKey)
      Forms__RateLimitPermits: '5'
      Forms__RateLimitWindowSeconds: '600'
      Forms__RateLimitRejectedPermits: '30'
      // The client is the last X-Forwarded-For entry, the one the App Service front end appends (docs/forms.md).
      Forms__TrustedProxyHops: '1'
      Forms__DuplicateWindowMinutes: '10'
      Forms__MaxBodyBytes: '65536'
      Forms__MaxFileBytes: '10485760'
      Forms__MaxFiles: '3'
      Forms__ConsentTextVersion: '2026-01'
      Forms__ContactRecipients: formsContactRecipients
      Forms__PorteursRecipients: formsPorteursRecipients

      // DirectoryOptions: limits of the spreadsheet import.
      Directory__ImportMaxBytes: '10485760'
      Directory__ImportMaxRows: '20000'
      Directory__ImportParallelism: '8'

      // NewsletterOptions: links, send date (in Europe/Paris), dispatch pace and limits.
      Newsletter__PublicBaseUrl: empty(newsletterPublicBaseUrl) ? 'https://${site.properties.defaultHostName}/api/' : newsletterPublicBaseUrl
      // Room sharing: the links of its mails and its calendar feeds are built on the same public address.
      Rooms__PublicBaseUrl: empty(newsletterPublicBaseUrl) ? 'https://${site.properties.defaultHostName}/api/' : newsletterPublicBaseUrl
      Newsletter__UnsubscribeMailto: newsletterUnsubscribeMailto
      Newsletter__SendDay: '5'
      Newsletter__SendTime: '09:00'
      Newsletter__TimeZone: 'Europe/Paris'
      Newsletter__AutoApprove: 'false'
      Newsletter__BatchSize: '1000'
      Newsletter__DispatchBudget: '00:08:00'
      Newsletter__DispatchLeaseSeconds: '60'
      Newsletter__MaxBatchAttempts: '8'
      Newsletter__MaxInlineWait: '00:00:30'
      Newsletter__PauseBetweenBatches: '00:00:00'
      Newsletter__AgendaWeeks: '6'
      Agenda__PublicWeeks: '6'
      Newsletter__ConfirmationMailInterval: '01:00:00'
      Newsletter__ConfirmationLinkLifetime: '7.00:00:00'
      Newsletter__RecipientLinkLifetime: '730.00:00:00'
      Newsletter__ConsentTextVersion: '2026-01'

      // Timer schedules: NCRONTAB with seconds, evaluated in UTC (Linux has no WEBSITE_TIME_ZONE).
      OutboxRetrySchedule: '0 */5 * * * *'
      NewsletterDispatchSchedule: '0 */5 * * * *'
      // The 20th of each month at 07:00 UTC (08:00 or 09:00 in Paris).
      NewsletterDraftSchedule: '0 0 7 20 * *'
      // Daily at 02:30 UTC: the retention purge (counts only in the log).
      RetentionPurgeSchedule: '0 30 2 * * *'
      // Reminders of tomorrow's room bookings, at 16:00 UTC (17:00 or 18:00 in Rennes).
      RoomsReminderSchedule: '0 0 16 * * *'

      // PrivacyOptions: the key of the keyed hash of e-mail addresses (never rotated: it keys the suppression list).
      Privacy__EmailHashKey: keyVaultReference(keyVaultUri, secretNames.privacyEmailHashKey)

      // RetentionOptions: how long personal data is kept (CNIL guidance), as d.hh:mm:ss.
      Retention__ContactMessages: '730.00:00:00'
      Retention__Porteurs: '1095.00:00:00'
      Retention__UnconfirmedSubscriptions: '7.00:00:00'
      Retention__UnsubscribedSubscribers: '30.00:00:00'
      Retention__DeliveryLedgers: '180.00:00:00'
      Retention__AgendaProposerContacts: '90.00:00:00'
      Retention__RejectedAgendaProposals: '30.00:00:00'
      Retention__DirectoryPersonsReview: '1095.00:00:00'
      Retention__DirectoryImports: '1.00:00:00'
      Retention__RateLimitRecords: '1.00:00:00'
      Retention__DedupRecords: '1.00:00:00'
      Retention__OutboxSent: '30.00:00:00'
      Retention__OutboxFailed: '90.00:00:00'
      Retention__AuditLog: '1826.00:00:00'
      Retention__PrivacyRequests: '1826.00:00:00'
      Retention__RoomBookings: '365.00:00:00'
      Retention__RejectedRoomOffers: '30.00:00:00'
    }
  }
}

// App Service Authentication (Easy Auth v2) with Microsoft Entra ID: staff sign in with their account of the
// association; scripts present an access token of an app registration or managed identity holding an app role.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      // The routes anyone may call (the website's forms, the newsletter's public pages, the SendGrid webhook, health):
      // App Service Authentication lets them through unauthenticated. Everything else, the staff API (/api/staff/...)
      // and the console (/api/equipe/...), needs a session or a bearer token of the app registration; the app then
      // checks the roles of the principal it is given. The infrastructure tests compare this list with the functions.
      excludedPaths: [
        '/api/health'
        '/api/contact'
        '/api/porteurs'
        '/api/territory'
        '/api/agenda/events'
        '/api/newsletter/subscriptions'
        '/api/newsletter/confirm'
        '/api/newsletter/preferences'
        '/api/newsletter/unsubscribe'
        '/api/newsletter/preview'
        '/api/newsletter/archive'
        '/api/newsletter/archive/*'
        '/api/newsletter/sendgrid/events'
        // Room sharing: search, offers, requests, photos, calendar feeds and the pages of its mails' links.
        '/api/rooms'
        '/api/rooms/*'
        // The Functions host's own admin API keeps its master key.
        '/admin/*'
      ]
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: staffAuthClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${staffAuthTenantId}/v2.0'
        }
        validation: {
          // A person's session (id token of the app) and a script's access token (audience api://<client id>).
          allowedAudiences: [
            staffAuthClientId
            'api://${staffAuthClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: '08:00:00'
      }
      preserveUrlFragmentsForLogins: true
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
