// The pool's Key Vault: the secrets every DSVM fetches at boot with the scale set's identity (pool_identity.py):
// the pool-wide SSH host key and JupyterHub's Entra client secret. Both are put there by the postprovision hook
// (infra/scripts/pool-secrets.mjs), never by this template, so no secret passes through a deployment.
// Azure RBAC authorization (no access policies): the VMs get Key Vault Secrets User (pool.bicep), the admin Key
// Vault Secrets Officer (rbac.bicep).
param name string
param location string
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
