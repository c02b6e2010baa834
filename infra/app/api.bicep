// The Function App on Flex Consumption (FC1, Linux, Node 22), as in the public azd Functions quickstarts:
// the deployment package lives in a blob container reached with the user-assigned identity, and every
// connection (AzureWebJobsStorage, App Insights) is identity-based. The app settings are exactly those
// settingsSchema in src/config.ts reads (test/unit/infra checks it), plus the Functions host's own.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
param batchAccountEndpoint string
param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var storageSuffix = environment().suffixes.storage

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Functions host storage, identity-based (no connection string, no key).
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: 'https://${storageAccountName}.blob.${storageSuffix}' }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: 'https://${storageAccountName}.queue.${storageSuffix}' }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: 'https://${storageAccountName}.table.${storageSuffix}' }
        // The app's SDK clients: DefaultAzureCredential picks the user-assigned identity by this client id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'DSVMPOOL_CREDENTIAL', value: 'default' }
        { name: 'DSVMPOOL_ARM_ENDPOINT', value: environment().resourceManager } // loadConfig trims the trailing slash
        { name: 'DSVMPOOL_BATCH_ENDPOINT', value: batchAccountEndpoint }
        { name: 'DSVMPOOL_AUTOSCALE_SCHEDULE', value: '0 */1 * * * *' }
        { name: 'DSVMPOOL_JOBSYNC_SCHEDULE', value: '30 */1 * * * *' }
        { name: 'DSVMPOOL_MAX_CONCURRENT_POOLS', value: '8' }
        { name: 'DSVMPOOL_ADMIN_ROLE', value: 'DsvmPool.Admin' }
        { name: 'DSVMPOOL_JOBS_REQUEUE_MINUTES', value: '5' }
        // Under the 60 s timer period, so one slow pool never makes a tick overlap the next.
        { name: 'DSVMPOOL_POOL_TIMEOUT_SECONDS', value: '55' }
        { name: 'DSVMPOOL_LRO_WAIT_SECONDS', value: '40' }
        { name: 'DSVMPOOL_ARM_MAX_RETRIES', value: '2' }
        { name: 'DSVMPOOL_POOL_PRICES', value: '{}' }
        // App Insights with Entra auth only (the component has DisableLocalAuth).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: { name: 'node', version: '22' }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
