// dsvm-pool: the whole deployment, at subscription scope (it creates the resource group), laid out like the
// public azd Functions templates: this file wires modules under ./app; azd maps main.parameters.json.
// Nothing here is compiled in this repository's CI (no Bicep compiler is reachable offline); the offline
// checks in test/unit/infra read these files as text. Compile with `az bicep build -f infra/main.bicep`.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; used in the resource group name and as the azd-env-name tag.')
param environmentName string

// Regions that offer the Flex Consumption plan (the same list as Microsoft's azd quickstart for TypeScript Functions
// on Flex Consumption, Azure-Samples/functions-quickstart-typescript-azd infra/main.bicep, minus the canary region
// eastus2euap; `az functionapp list-flexconsumption-locations` prints today's list). The DSVM image and the VM sizes
// must be offered there too: check with `az vm list-skus -l <region> --size Standard_NC4as_T4_v3`.
@minLength(1)
@description('Region of every resource, e.g. westeurope. Flex Consumption regions only; check DSVM and NC-series quota there.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the admin (user or group) who edits the policies table; azd passes the signed-in user.')
param adminPrincipalId string = ''

@allowed(['User', 'Group', 'ServicePrincipal'])
param adminPrincipalType string = 'User'

@description('Object id of a user or group to give the DsvmPool.Admin app role; empty: grant it later (README "Deployment"). Needs the right to assign app roles (e.g. Cloud Application Administrator).')
param appAdminPrincipalId string = ''

@description('Admin user of the DSVMs (SSH key login only).')
param vmAdminUsername string = 'dsvmadmin'

@description('SSH public key of vmAdminUsername (a public key, not a secret).')
param vmAdminSshPublicKey string

@description('VM size of the interactive pool.')
param poolVmSize string = 'Standard_D8s_v5'

@description('Most VMs in the interactive pool (the scale set and its default policy).')
@minValue(1)
@maxValue(100)
param poolMaxInstances int = 10

@description('Sessions one VM serves well (default policy).')
param poolSeatsPerInstance int = 4

@description('DSVM image of the interactive pool.')
param poolImage object = {
  publisher: 'microsoft-dsvm'
  offer: 'ubuntu-2204'
  sku: '2204-gen2'
  version: 'latest'
}

@description('Address range allowed to reach SSH (22) and JupyterHub (8000). Narrow it to your network.')
param clientAddressPrefix string = 'Internet'

@description('Size of the NFS home share in GiB (premium file shares bill the provisioned size; minimum 100).')
@minValue(100)
param homeShareGiB int = 100

param gpuPoolVmSize string = 'Standard_NC4as_T4_v3'
param gpuPoolMaxNodes int = 2
param cpuPoolVmSize string = 'Standard_D4s_v5'
param cpuPoolMaxNodes int = 4

@description('Most Flex Consumption instances of the Function App.')
param functionMaximumInstanceCount int = 40

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentity}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.logAnalytics}${resourceToken}'
    appInsightsName: '${abbrs.appInsights}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  scope: rg
  name: 'storage'
  params: {
    name: '${abbrs.storageAccount}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(resourceToken, 7)}'
  }
}

module network 'app/network.bicep' = {
  scope: rg
  name: 'network'
  params: {
    vnetName: '${abbrs.virtualNetwork}${resourceToken}'
    loadBalancerName: '${abbrs.loadBalancer}pool-${resourceToken}'
    publicIpName: '${abbrs.publicIp}pool-${resourceToken}'
    dnsLabel: 'dsvm-${resourceToken}'
    clientAddressPrefix: clientAddressPrefix
    location: location
    tags: tags
  }
}

module files 'app/files.bicep' = {
  scope: rg
  name: 'files'
  params: {
    name: '${abbrs.storageAccount}files${take(resourceToken, 10)}'
    shareGiB: homeShareGiB
    allowedSubnetIds: [network.outputs.poolSubnetId, network.outputs.batchSubnetId]
    location: location
    tags: tags
  }
}

module vault 'app/vault.bicep' = {
  scope: rg
  name: 'vault'
  params: {
    name: '${abbrs.keyVault}${take(resourceToken, 20)}'
    location: location
    tags: tags
  }
}

module pool 'app/pool.bicep' = {
  scope: rg
  name: 'pool'
  params: {
    name: '${abbrs.scaleSet}dsvm-${resourceToken}'
    vmSize: poolVmSize
    image: poolImage
    adminUsername: vmAdminUsername
    adminSshPublicKey: vmAdminSshPublicKey
    subnetId: network.outputs.poolSubnetId
    backendPoolId: network.outputs.backendPoolId
    nfsShare: files.outputs.nfsShare
    vaultName: vault.outputs.name
    vaultUri: vault.outputs.uri
    storageAccountName: storage.outputs.name
    sessionsTableUrl: '${storage.outputs.tableEndpoint}vmsessions'
    hubEntra: {
      tenantId: tenant().tenantId
      clientId: entra.outputs.clientId
      callbackUrl: hubCallbackUrl
    }
    location: location
    tags: tags
  }
}

module batch 'app/batch.bicep' = {
  scope: rg
  name: 'batch'
  params: {
    name: '${abbrs.batchAccount}${take(resourceToken, 20)}'
    subnetId: network.outputs.batchSubnetId
    nfsShare: files.outputs.nfsShare
    gpuPoolVmSize: gpuPoolVmSize
    cpuPoolVmSize: cpuPoolVmSize
    location: location
    tags: tags
  }
}

var functionAppName = '${abbrs.functionApp}api-${resourceToken}'
// JupyterHub on every DSVM signs people in with Entra (jupyterhub_entra_config.py) through the load-balanced 8000.
var hubCallbackUrl = 'https://${network.outputs.fqdn}:8000/hub/oauth_callback'

// The app registration (Microsoft Graph Bicep extension): app roles, the API's identifier, the sign-in callback.
module entra 'app/entra.bicep' = {
  scope: rg
  name: 'entra'
  params: {
    uniqueName: 'dsvm-pool-${environmentName}-${resourceToken}'
    displayName: 'dsvm-pool (${environmentName})'
    identifierUri: 'api://dsvm-pool-${environmentName}-${resourceToken}'
    // Flex Consumption apps get <name>.azurewebsites.net unless a unique default host name is asked for (it is not).
    appHostName: '${functionAppName}.azurewebsites.net'
    hubCallbackUrl: hubCallbackUrl
    adminPrincipalId: appAdminPrincipalId
  }
}

module api 'app/api.bicep' = {
  scope: rg
  name: 'api'
  params: {
    planName: '${abbrs.appServicePlan}${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    azdServiceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    batchAccountEndpoint: batch.outputs.accountEndpoint
    maximumInstanceCount: functionMaximumInstanceCount
    entraClientId: entra.outputs.clientId
    entraIdentifierUri: entra.outputs.identifierUri
  }
}

module rbac 'app/rbac.bicep' = {
  scope: rg
  name: 'rbac'
  params: {
    appPrincipalId: identity.outputs.principalId
    adminPrincipalId: adminPrincipalId
    adminPrincipalType: adminPrincipalType
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.name
    scaleSetName: pool.outputs.name
    vnetName: network.outputs.vnetName
    loadBalancerName: network.outputs.loadBalancerName
    publicIpName: network.outputs.publicIpName
    batchAccountName: batch.outputs.name
    vaultName: vault.outputs.name
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output API_URL string = api.outputs.url
output AZURE_TENANT_ID string = tenant().tenantId
output DSVMPOOL_API_CLIENT_ID string = entra.outputs.clientId
// The resource scripts ask a token for: az account get-access-token --resource $DSVMPOOL_API_RESOURCE
output DSVMPOOL_API_RESOURCE string = entra.outputs.identifierUri
output APP_STORAGE_ACCOUNT string = storage.outputs.name
output APP_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output POOL_VMSS_ID string = pool.outputs.id
output POOL_MAX_INSTANCES int = poolMaxInstances
output POOL_SEATS_PER_INSTANCE int = poolSeatsPerInstance
// The DSVM's JupyterHub serves HTTPS on 8000 (its own certificate); the load balancer passes TCP through.
output POOL_CONNECT_URL string = 'https://${network.outputs.fqdn}:8000'
output POOL_SSH_HOST string = network.outputs.fqdn
output POOL_KEYVAULT_NAME string = vault.outputs.name
output BATCH_ACCOUNT_ENDPOINT string = batch.outputs.accountEndpoint
output BATCH_GPU_POOL_VM_SIZE string = gpuPoolVmSize
output BATCH_GPU_POOL_MAX_NODES int = gpuPoolMaxNodes
output BATCH_CPU_POOL_VM_SIZE string = cpuPoolVmSize
output BATCH_CPU_POOL_MAX_NODES int = cpuPoolMaxNodes
