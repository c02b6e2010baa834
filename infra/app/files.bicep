// Home folders and notebooks: a premium NFS 4.1 Azure Files share, separate from the app's storage.
// NFS needs no account key at all (access is by network: only the pool and Batch subnets, via service
// endpoints), whereas an SMB mount on Linux needs the account key or Kerberos. So shared keys stay off.
// NFS shares require "secure transfer required" to be off on the account; traffic stays on the VNet path.
param name string
param shareGiB int
param allowedSubnetIds array
param location string
param tags object

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'FileStorage'
  sku: { name: 'Premium_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: false
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
      virtualNetworkRules: [for subnetId in allowedSubnetIds: { id: subnetId, action: 'Allow' }]
    }
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource homes 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: fileService
  name: 'homes'
  properties: {
    enabledProtocols: 'NFS'
    rootSquash: 'NoRootSquash' // cloud-init (root) creates the admin's home; user processes are not root
    shareQuota: shareGiB
  }
}

output accountName string = account.name
// What `mount -t nfs` takes: host:/account/share
output nfsShare object = {
  host: '${account.name}.file.${environment().suffixes.storage}'
  path: '/${account.name}/${homes.name}'
}
