param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

@description('Days the workspace keeps logs; 30 is the shortest the PerGB2018 tier allows and stays within the retention included in the ingestion price.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Most the workspace ingests in a day, in GB, as text (Bicep has no decimal literals), e.g. \'0.2\'; past it, ingestion stops until the next day (UTC) and the bill stops with it.')
param dailyCapGb string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    // The ceiling of the monitoring bill (docs/cost.md): a runaway log loop costs at most a day's cap.
    workspaceCapping: {
      dailyQuotaGb: json(dailyCapGb)
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
    // Telemetry is accepted from Entra ID identities only (the app's managed identity), never from the key alone.
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
output connectionString string = applicationInsights.properties.ConnectionString
