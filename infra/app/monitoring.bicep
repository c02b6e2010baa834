// Log Analytics + workspace-based Application Insights with local (instrumentation-key) auth turned off:
// telemetry is accepted only with an Entra token (the app's identity has Monitoring Metrics Publisher on it).
param logAnalyticsName string
param appInsightsName string
param location string
param tags object

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

output name string = appInsights.name
// The connection string names the ingestion endpoint; with DisableLocalAuth it grants nothing by itself.
output connectionString string = appInsights.properties.ConnectionString
