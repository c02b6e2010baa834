// Least privilege for the app's identity, following infra/rbac-operations.json: one row per Azure call the
// code (src/azure), the Functions host, the VMs and the admin make, with its RBAC operation, action or data
// action, scope and role (sources named there). test/unit/infra/rbac-table.test.ts fails when this file and
// that table disagree, or when the code makes a call the table lacks.
//
//   custom role (assignable in this resource group only)   assigned at
//   dsvm-pool scale set operator                            the scale set
//   dsvm-pool operation status reader                       the resource group: ARM answers every long-running
//                                                           Compute call with a status URL under
//                                                           /subscriptions/{s}/providers/Microsoft.Compute/
//                                                           locations/{loc}/operations/{id}, which resource-level
//                                                           rights cannot read ("Track asynchronous Azure
//                                                           operations": resource group level needed). The role
//                                                           holds that one read and nothing else.
//   dsvm-pool network join                                  the VNet, the load balancer
//   dsvm-pool NAT port reader                               the load balancer, its public IP (per-VM ports for the
//                                                           connection broker: queryInboundNatRulePortMapping)
//   dsvm-pool batch job operator                            the Batch account (pools: actions; jobs and tasks:
//                                                           data actions)
// Built-in: Monitoring Reader (scale set), Storage Table/Queue Data Contributor and Blob Data Owner (app storage),
// Monitoring Metrics Publisher (App Insights). The admin principal gets Storage Table Data Contributor on the app's
// storage account, to edit policies, and Key Vault Secrets Officer on the pool's vault, to seed its secrets.
param appPrincipalId string
param adminPrincipalId string
param adminPrincipalType string
param storageAccountName string
param appInsightsName string
param scaleSetName string
param vnetName string
param loadBalancerName string
param publicIpName string
param batchAccountName string
param vaultName string

// Custom role names are unique per tenant: the resource group name plus a hash of its id keeps them apart.
var roleNameSuffix = '(${resourceGroup().name}, ${take(uniqueString(resourceGroup().id), 6)})'

var builtIn = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
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
resource publicIp 'Microsoft.Network/publicIPAddresses@2024-01-01' existing = {
  name: publicIpName
}
resource batchAccount 'Microsoft.Batch/batchAccounts@2024-07-01' existing = {
  name: batchAccountName
}
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource scaleSetOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'dsvm-pool-scale-set-operator')
  properties: {
    roleName: 'dsvm-pool scale set operator ${roleNameSuffix}'
    description: 'What the dsvm-pool autoscaler calls on its scale set: read, scale, start, deallocate, delete instances, instance protection, and Run Command to drain a VM before removing it.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: [
          'Microsoft.Compute/virtualMachineScaleSets/read'
          'Microsoft.Compute/virtualMachineScaleSets/write'
          'Microsoft.Compute/virtualMachineScaleSets/start/action'
          'Microsoft.Compute/virtualMachineScaleSets/deallocate/action'
          'Microsoft.Compute/virtualMachineScaleSets/delete/action'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write'
          // Drain before scale-in: runs the session reporter's --drain/--undrain on one instance (docs/drain.md).
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'
        ]
        notActions: []
      }
    ]
  }
}

resource asyncOperationReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'dsvm-pool-operation-status-reader')
  properties: {
    roleName: 'dsvm-pool operation status reader ${roleNameSuffix}'
    description: 'Reads the status of the long-running Compute operations the dsvm-pool app starts (scale, start, deallocate, delete, protect, Run Command); nothing else.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: [
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
        ]
        notActions: []
      }
    ]
  }
}

resource natPortReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'dsvm-pool-nat-port-reader')
  properties: {
    roleName: 'dsvm-pool NAT port reader ${roleNameSuffix}'
    description: 'Reads which inbound NAT port of the pool load balancer reaches each VM, and the address users connect to, for the dsvm-pool connection broker.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: [
          'Microsoft.Network/loadBalancers/read'
          'Microsoft.Network/loadBalancers/backendAddressPools/queryInboundNatRulePortMapping/action'
          'Microsoft.Network/publicIPAddresses/read'
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
        ]
        notActions: []
        // Jobs and tasks are data actions in the provider operations list; ARM rejects a role that lists them
        // under actions (InvalidActionOrNotAction).
        dataActions: [
          'Microsoft.Batch/batchAccounts/jobs/read'
          'Microsoft.Batch/batchAccounts/jobs/write'
        ]
        notDataActions: []
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

// At the resource group: the narrowest scope at which ARM lets a caller read a Compute operation's status.
resource appOperationStatus 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, appPrincipalId, asyncOperationReader.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: asyncOperationReader.id
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

resource appNatPorts 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: loadBalancer
  name: guid(loadBalancer.id, appPrincipalId, natPortReader.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: natPortReader.id
  }
}

resource appNatAddress 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: publicIp
  name: guid(publicIp.id, appPrincipalId, natPortReader.id)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: natPortReader.id
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

// --- the admin: puts the pool's host key and JupyterHub secret into the vault (postprovision, pool-secrets.mjs) ---

resource adminPoolSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPrincipalId)) {
  scope: vault
  name: guid(vault.id, adminPrincipalId, builtIn.keyVaultSecretsOfficer)
  properties: {
    principalId: adminPrincipalId
    principalType: adminPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtIn.keyVaultSecretsOfficer)
  }
}
