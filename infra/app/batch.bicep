// The Batch account and its two pools. Batch-service pool allocation (no subscription quota plumbing, no Key
// Vault); Entra-only authentication (shared keys off). Both pools start (first provisioning) at 0 dedicated nodes: the
// job service resizes them through the Batch data plane (src/jobs/pool-sizing.ts). Pool ids `gpu` and `cpu`
// are what the default policy rows name.
param name string
param subnetId string
param nfsShare object
param gpuPoolVmSize string
param cpuPoolVmSize string
param location string
param tags object

resource account 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    poolAllocationMode: 'BatchService'
    allowedAuthenticationModes: ['AAD']
    publicNetworkAccess: 'Enabled'
  }
}

var pools = [
  {
    id: 'gpu'
    vmSize: gpuPoolVmSize
    image: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' }
  }
  {
    id: 'cpu'
    vmSize: cpuPoolVmSize
    image: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' }
  }
]

// Created once, never re-PUT: re-provisioning must not reset a pool the job service has sized (running tasks
// would lose their nodes). @onlyIfNotExists() (Bicep 0.38.3+) makes ARM skip a pool that already exists.
@onlyIfNotExists()
resource batchPools 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = [
  for pool in pools: {
    parent: account
    name: pool.id
    properties: {
      vmSize: pool.vmSize
      taskSlotsPerNode: 1
      interNodeCommunication: 'Disabled'
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: pool.image
          nodeAgentSkuId: 'batch.node.ubuntu 22.04'
          // Jobs run as containers (src/jobs task specs set containerSettings).
          containerConfiguration: { type: 'DockerCompatible' }
        }
      }
      // Fixed scale at 0 when first created: no node, no cost, until a job needs one. Never applied again
      // (@onlyIfNotExists above), so re-provisioning leaves the job service's sizing alone.
      scaleSettings: { fixedScale: { targetDedicatedNodes: 0, targetLowPriorityNodes: 0, resizeTimeout: 'PT15M' } }
      networkConfiguration: {
        subnetId: subnetId
        publicIPAddressConfiguration: { provision: 'BatchManaged' }
        endpointConfiguration: {
          // Nodes are not logged into; close the SSH NAT that Batch would otherwise open.
          inboundNatPools: [
            {
              name: 'ssh-closed'
              protocol: 'TCP'
              backendPort: 22
              frontendPortRangeStart: 15000
              frontendPortRangeEnd: 15099
              networkSecurityGroupRules: [{ priority: 150, access: 'Deny', sourceAddressPrefix: '*' }]
            }
          ]
        }
      }
      // The same NFS home share as the interactive pool, at $AZ_BATCH_NODE_MOUNTS_DIR/homes.
      mountConfiguration: [
        {
          nfsMountConfiguration: {
            source: '${nfsShare.host}:${nfsShare.path}'
            relativeMountPath: 'homes'
            mountOptions: '-o vers=4,minorversion=1,sec=sys'
          }
        }
      ]
    }
  }
]

output name string = account.name
output accountEndpoint string = 'https://${account.properties.accountEndpoint}'
