// The interactive pool: a Uniform scale set of Ubuntu Data Science VMs, created at capacity 0 on first provisioning
// only (@onlyIfNotExists below). dsvm-pool's autoscaler owns capacity from then on and names the instances it
// removes, so the scale set's own scale-in
// policy never chooses. Each VM mounts the NFS home share and runs the session reporter (cloud-init).
param name string
param vmSize string
param image object
param adminUsername string
param adminSshPublicKey string
param subnetId string
param backendPoolId string
param nfsShare object
@description('The pool\'s Key Vault (vault.bicep): host key and JupyterHub secret, read at boot by pool_identity.py.')
param vaultName string
param vaultUri string
@description('The app\'s storage account (storage.bicep), which holds the vmsessions table the reporters write.')
param storageAccountName string
@description('URL of the vmsessions table, e.g. https://{account}.table.core.windows.net/vmsessions (the reporter\'s DSVMPOOL_SESSIONS_TABLE_URL).')
param sessionsTableUrl string
@description('JupyterHub\'s Entra sign-in: { tenantId, clientId, callbackUrl }.')
param hubEntra object
param location string
param tags object

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// The static VM files, each gzip-compressed and base64-encoded (written `encoding: gz+b64` in cloud-init.yaml):
// uncompressed, the cloud-init came to about 67.7 KB, over the 65,535 bytes Azure accepts as customData (Compute REST,
// osProfile.customData: "The maximum length of the binary array is 65535 bytes"). Bicep cannot gzip, so
// infra/scripts/build-cloud-init.mjs (`npm run vm-files`) builds this file from infra/vm; a unit test fails when it is
// stale. Values that differ per deployment stay uncompressed below, substituted at deploy time.
// loadJsonContent: Bicep 0.7 or later, files up to 1,048,576 characters (Learn, "Bicep file functions").
var vmFiles = loadJsonContent('../vm/cloud-init-files.json')

var cloudInit = reduce(
  [
    { token: '{{NFS_HOST}}', value: nfsShare.host }
    { token: '{{NFS_PATH}}', value: nfsShare.path }
    { token: '{{REPORTER_PY}}', value: vmFiles['session_reporter.py'] }
    { token: '{{REPORTER_SERVICE}}', value: vmFiles['dsvm-session-reporter.service'] }
    { token: '{{REPORTER_TIMER}}', value: vmFiles['dsvm-session-reporter.timer'] }
    { token: '{{PROBE_SERVICE}}', value: vmFiles['dsvm-session-probe.service'] }
    { token: '{{HUB_CONFIG}}', value: vmFiles['jupyterhub_reporter_config.py'] }
    { token: '{{INSTALL_SH}}', value: vmFiles['install-reporter.sh'] }
    { token: '{{POOL_IDENTITY_PY}}', value: vmFiles['pool_identity.py'] }
    { token: '{{HUB_ENTRA_CONFIG}}', value: vmFiles['jupyterhub_entra_config.py'] }
    { token: '{{ACCOUNTS_CRON}}', value: base64('* * * * * root set -a; . /etc/dsvm-pool/pool.env; /opt/dsvm-pool/pool_identity.py sync-users >/dev/null\n') }
    // What systemd hands the reporter and the drain probe (EnvironmentFile): where to write this VM's session row.
    { token: '{{REPORTER_ENV}}', value: base64('DSVMPOOL_SESSIONS_TABLE_URL=${sessionsTableUrl}\n') }
    { token: '{{POOL_ENV}}', value: base64(join([
      'DSVMPOOL_KEYVAULT_URL=${vaultUri}'
      'DSVMPOOL_ENTRA_TENANT_ID=${hubEntra.tenantId}'
      'DSVMPOOL_HUB_CLIENT_ID=${hubEntra.clientId}'
      'DSVMPOOL_HUB_CALLBACK_URL=${hubEntra.callbackUrl}'
      ''
    ], '\n')) }
  ],
  loadTextContent('../vm/cloud-init.yaml'),
  (text, t) => replace(text, t.token, t.value)
)

// Created once, never re-PUT: a second `azd provision` must not reset capacity to 0 (that would delete every VM,
// including the ones people work on) nor touch the VM profile under running instances. @onlyIfNotExists()
// (Bicep 0.38.3 and later, GA in that release) makes ARM skip the resource when it already exists. To change the
// VM profile of an existing pool, see README "Deployment" (re-provisioning).
@onlyIfNotExists()
resource scaleSet 'Microsoft.Compute/virtualMachineScaleSets@2024-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: vmSize
    tier: 'Standard'
    capacity: 0
  }
  // The reporter on each VM gets its Monitor token from IMDS with this identity.
  identity: { type: 'SystemAssigned' }
  properties: {
    orchestrationMode: 'Uniform'
    // Extra VMs made by overprovisioning would boot, report and be deleted again: noise for autoscale.
    overprovision: false
    singlePlacementGroup: true
    upgradePolicy: { mode: 'Manual' }
    virtualMachineProfile: {
      storageProfile: {
        imageReference: image
        osDisk: {
          createOption: 'FromImage'
          caching: 'ReadWrite'
          // Deallocated VMs keep paying for their disks; Standard SSD keeps that small.
          managedDisk: { storageAccountType: 'StandardSSD_LRS' }
        }
      }
      osProfile: {
        computerNamePrefix: 'dsvm'
        adminUsername: adminUsername
        customData: base64(cloudInit)
        linuxConfiguration: {
          disablePasswordAuthentication: true
          ssh: {
            publicKeys: [{ path: '/home/${adminUsername}/.ssh/authorized_keys', keyData: adminSshPublicKey }]
          }
        }
      }
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: 'nic'
            properties: {
              primary: true
              ipConfigurations: [
                {
                  name: 'ipconfig'
                  properties: {
                    subnet: { id: subnetId }
                    loadBalancerBackendAddressPools: [{ id: backendPoolId }]
                  }
                }
              ]
            }
          }
        ]
      }
      diagnosticsProfile: { bootDiagnostics: { enabled: true } }
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

// Each VM reads the pool's host key and JupyterHub secret at boot (pool_identity.py): secrets get, nothing else.
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, 'vmss-identity', keyVaultSecretsUser)
  properties: {
    principalId: scaleSet.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

// The VMs post the DSVMPool/ActiveSessions custom metric against the scale set's own resource id, so the
// publisher role is needed on the scale set and nowhere else.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: scaleSet
  name: guid(scaleSet.id, 'vmss-identity', monitoringMetricsPublisher)
  properties: {
    principalId: scaleSet.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: storageAccount
  name: 'default'
}
resource vmsessionsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = {
  parent: tableService
  name: 'vmsessions'
}

// Each VM upserts its own row of who is on it (session_reporter.py, DSVMPOOL_SESSIONS_TABLE_URL) for the connection
// broker. Scoped to that one table, not the account: a VM can neither read the app's jobs or policies nor write them.
// A table-scoped role assignment has the scope .../storageAccounts/{account}/tableServices/default/tables/{table}
// (Learn, "Assign an Azure role for access to table data"; ARM templates can assign it, the portal cannot).
resource sessionsWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vmsessionsTable
  name: guid(vmsessionsTable.id, 'vmss-identity', storageTableDataContributor)
  properties: {
    principalId: scaleSet.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

output id string = scaleSet.id
output name string = scaleSet.name
