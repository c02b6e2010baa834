// Least privilege for the app's identity: exactly the calls the code makes, each on the one resource it
// touches. Nothing at subscription scope, no Owner/Contributor. The two custom roles are defined here with
// assignable scope = this resource group only.
//
//   code (src/azure/...)                          role                                   scope
//   vmss: get, list VMs, capacity, start,          dsvm-pool scale set operator (custom)  the scale set
//         deallocate, powerOff, delete, protect
//   scaling out attaches NICs to subnet + LB       dsvm-pool network join (custom)        the VNet, the LB
//   metrics: read DSVMPool/ActiveSessions          Monitoring Reader                      the scale set
//   batch: pools get/list/resize, jobs, tasks      dsvm-pool batch job operator (custom)  the Batch account
//   storage: tables, queues (+ host blobs,         Storage Table/Queue Data Contributor,  the app's storage
//            deployment package)                   Storage Blob Data Owner                account
//   App Insights telemetry with Entra auth         Monitoring Metrics Publisher           the App Insights component
// The admin principal gets Storage Table Data Contributor on the app's storage account, to edit policies.
param appPrincipalId string
param adminPrincipalId string
param adminPrincipalType string
param storageAccountName string
param appInsightsName string
param scaleSetName string
param vnetName string
param loadBalancerName string
param batchAccountName string

// Custom role names are unique per tenant: the resource group name plus a hash of its id keeps them apart.
var roleNameSuffix = '(${resourceGroup().name}, ${take(uniqueString(resourceGroup().id), 6)})'

var builtIn = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}
resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}
resource scaleSet 'Microsoft.Compute/virtualMachineScaleSets@2024-07-01' existing = {
  name: scaleSetName
}
resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' existing = {
  name: vnetName
}
resource loadBalancer 'Microsoft.Network/loadBalancers@2024-01-01' existing = {
  name: loadBalancerName
}
resource batchAccount 'Microsoft.Batch/batchAccounts@2024-07-01' existing = {
  name: batchAccountName
}

resource scaleSetOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'dsvm-pool-scale-set-operator')
  properties: {
    roleName: 'dsvm-pool scale set operator ${roleNameSuffix}'
    description: 'What the dsvm-pool autoscaler calls on its scale set: read, scale, start, deallocate, power off, delete instances, instance protection, and Run Command to drain a VM before removing it.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: [
          'Microsoft.Compute/virtualMachineScaleSets/read'
          'Microsoft.Compute/virtualMachineScaleSets/write'
          'Microsoft.Compute/virtualMachineScaleSets/start/action'
          'Microsoft.Compute/virtualMachineScaleSets/deallocate/action'
          'Microsoft.Compute/virtualMachineScaleSets/powerOff/action'
          'Microsoft.Compute/virtualMachineScaleSets/delete/action'
          'Microsoft.Compute/virtualMachineScaleSets/instanceView/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read'
          // Drain before scale-in: runs the session reporter's --drain/--undrain on one instance (docs/drain.md).
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'
          'Microsoft.Compute/locations/operations/read'
        ]
        notActions: []
      }
    ]
  }
}

resource networkJoin 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'dsvm-pool-network-join')
  properties: {
    roleName: 'dsvm-pool network join ${roleNameSuffix}'
    description: 'Lets a scale-out attach new instances to the pool subnet and the load balancer (ARM linked-access check).'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: [
          'Microsoft.Network/virtualNetworks/subnets/join/action'
          'Microsoft.Network/loadBalancers/backendAddressPools/join/action'
          'Microsoft.Network/loadBalancers/inboundNatPools/join/action'
        ]
        notActions: []
      }
    ]
  }
}

resource batchJobOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'dsvm-pool-batch-job-operator')
  properties: {
    roleName: 'dsvm-pool batch job operator ${roleNameSuffix}'
    description: 'What the dsvm-pool job service calls on its Batch account: read and resize pools, add/read/terminate jobs and tasks.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: [
          'Microsoft.Batch/batchAccounts/read'
          'Microsoft.Batch/batchAccounts/pools/read'
          'Microsoft.Batch/batchAccounts/pools/write'
          'Microsoft.Batch/batchAccounts/jobs/read'
          'Microsoft.Batch/batchAccounts/jobs/write'
        ]
        notActions: []
      }
    ]
  }
}

// --- assignments to the app's identity -----------------------------------------------------------------

resource appScaleSetOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: scaleSet
  name: guid(scaleSet.id, appPrincipalId, scaleSetOperator.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: scaleSetOperator.id
  }
}

resource appMetricsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: scaleSet
  name: guid(scaleSet.id, appPrincipalId, builtIn.monitoringReader)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtIn.monitoringReader)
  }
}

resource appSubnetJoin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vnet
  name: guid(vnet.id, appPrincipalId, networkJoin.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: networkJoin.id
  }
}

resource appLoadBalancerJoin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: loadBalancer
  name: guid(loadBalancer.id, appPrincipalId, networkJoin.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: networkJoin.id
  }
}

resource appBatchJobOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: batchAccount
  name: guid(batchAccount.id, appPrincipalId, batchJobOperator.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: batchJobOperator.id
  }
}

var storageRoles = [builtIn.storageTableDataContributor, builtIn.storageQueueDataContributor, builtIn.storageBlobDataOwner]

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    scope: storage
    name: guid(storage.id, appPrincipalId, role)
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, appPrincipalId, builtIn.monitoringMetricsPublisher)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtIn.monitoringMetricsPublisher)
  }
}

// --- the admin: edits the policies table (README "Deploy to Azure"), seeds it after provisioning ------------

resource adminPolicies 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPrincipalId)) {
  scope: storage
  name: guid(storage.id, adminPrincipalId, builtIn.storageTableDataContributor)
  properties: {
    principalId: adminPrincipalId
    principalType: adminPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtIn.storageTableDataContributor)
  }
}
