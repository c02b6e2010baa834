// The Function App on Flex Consumption (FC1, Linux, Node 22), as in the public azd Functions quickstarts:
// the deployment package lives in a blob container reached with the user-assigned identity, and every
// connection (AzureWebJobsStorage, App Insights) is identity-based. The app settings are exactly those
// settingsSchema in src/config.ts reads (test/unit/infra checks it), plus the Functions host's own.
param planName string
param appName string
param location string
param tags object
@description('azd service name (azure.yaml services key): tagged on the function app only, never on the plan.')
param azdServiceName string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
param batchAccountEndpoint string
param maximumInstanceCount int = 40
@description('Client id of the dsvm-pool app registration (entra.bicep).')
param entraClientId string
@description('Application ID URI of the app registration, e.g. api://dsvm-pool-<env>.')
param entraIdentifierUri string
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
  // azd finds the resource to deploy by this tag; older azd stops when two resources carry it.
  tags: union(tags, { 'azd-service-name': azdServiceName })
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
        { name: 'DSVMPOOL_MAX_CONCURRENT_DRAINS', value: '50' }
        { name: 'DSVMPOOL_DRAIN_TIMEOUT_SECONDS', value: '50' }
        { name: 'DSVMPOOL_STORAGE_TIMEOUT_SECONDS', value: '10' }
        { name: 'DSVMPOOL_ADMIN_ROLE', value: 'DsvmPool.Admin' }
        // Bearer tokens the app validates itself (CLI, scripts): this tenant's issuer, this registration as audience
        // (v2 tokens carry the client id; v1 tokens the Application ID URI).
        { name: 'DSVMPOOL_ENTRA_TENANT_ID', value: tenant().tenantId }
        { name: 'DSVMPOOL_ENTRA_AUDIENCE', value: '${entraClientId},${entraIdentifierUri}' }
        { name: 'DSVMPOOL_ENTRA_AUTHORITY_HOST', value: environment().authentication.loginEndpoint }
        { name: 'DSVMPOOL_JOBS_REQUEUE_MINUTES', value: '5' }
        { name: 'DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS', value: '300' }
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

// App Service authentication ("Easy Auth", authsettingsV2) with the Entra provider. With it on, the platform
// strips client-sent x-ms-client-principal* headers and injects its own, and sets WEBSITE_AUTH_ENABLED=true, which
// is when the app trusts that header (src/http/identity.ts). Choices:
// - requireAuthentication with RedirectToLoginPage: a browser without a session goes to the Entra sign-in; a
//   caller with a bearer token for one of allowedAudiences passes (the platform validates it, and the app
//   validates it again), so the CLI and scripts work without a session.
// - excludedPaths /api/health: load balancers and the smoke script probe it without a token; it returns no
//   per-user data.
// - No client secret: browser sign-in uses the OpenID Connect implicit flow (entra.bicep enables ID tokens).
// Shape: Microsoft.Web/sites/config 'authsettingsV2' (SiteAuthSettingsV2: platform, globalValidation
// {requireAuthentication, unauthenticatedClientAction: RedirectToLoginPage|AllowAnonymous|Return401|Return403,
// redirectToProvider, excludedPaths}, identityProviders.azureActiveDirectory {registration {openIdIssuer,
// clientId}, validation {allowedAudiences}}, login, httpSettings), api-version 2024-04-01 as the site.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true, runtimeVersion: '~1' }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: ['/api/health']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          clientId: entraClientId
        }
        validation: {
          allowedAudiences: [entraClientId, entraIdentifierUri]
        }
      }
    }
    login: { tokenStore: { enabled: true } }
    httpSettings: { requireHttps: true }
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
