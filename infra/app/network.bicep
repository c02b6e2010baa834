// Network of the interactive pool and the Batch pools, and the load balancer in front of the DSVMs.
//
// Load balancer design (README "Deploy to Azure" explains it too):
// - A load-balanced rule for JupyterHub (8000) and SSH (22) with SourceIP persistence: every DSVM runs its own
//   JupyterHub, and a user's single-user server lives on the VM that hub spawned it on, so a user's requests
//   must keep reaching the same VM. Client-IP affinity does that without shared hub state.
// - Inbound NAT pools give each instance its own frontend port for SSH (50000+) and JupyterHub (51000+), so an
//   admin can reach one named VM, and /connect can send a user to the VM that has their server even after
//   the pool has grown (a changed backend set may re-map a client IP for new connections).
// - An outbound rule gives the VMs egress (apt, Azure Monitor ingestion) without a NAT gateway that bills by the hour.
param vnetName string
param loadBalancerName string
param publicIpName string
param dnsLabel string
param clientAddressPrefix string
param maxInstances int
param location string
param tags object

var sshNatStart = 50000
var jupyterNatStart = 51000

resource poolNsg 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: '${vnetName}-pool-nsg'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'allow-ssh'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: clientAddressPrefix
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
      {
        name: 'allow-jupyterhub'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: clientAddressPrefix
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '8000'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.40.0.0/16'] }
    subnets: [
      {
        name: 'pool'
        properties: {
          addressPrefix: '10.40.0.0/22'
          networkSecurityGroup: { id: poolNsg.id }
          // The NFS home share admits only these subnets (service endpoint + storage network rule).
          serviceEndpoints: [{ service: 'Microsoft.Storage' }]
        }
      }
      {
        name: 'batch'
        properties: {
          addressPrefix: '10.40.8.0/22'
          serviceEndpoints: [{ service: 'Microsoft.Storage' }]
        }
      }
    ]
  }
}

resource publicIp 'Microsoft.Network/publicIPAddresses@2024-01-01' = {
  name: publicIpName
  location: location
  tags: tags
  sku: { name: 'Standard' }
  properties: {
    publicIPAllocationMethod: 'Static'
    dnsSettings: { domainNameLabel: dnsLabel }
  }
}

var frontendId = resourceId('Microsoft.Network/loadBalancers/frontendIPConfigurations', loadBalancerName, 'public')
var backendId = resourceId('Microsoft.Network/loadBalancers/backendAddressPools', loadBalancerName, 'pool')

resource loadBalancer 'Microsoft.Network/loadBalancers@2024-01-01' = {
  name: loadBalancerName
  location: location
  tags: tags
  sku: { name: 'Standard' }
  properties: {
    frontendIPConfigurations: [{ name: 'public', properties: { publicIPAddress: { id: publicIp.id } } }]
    backendAddressPools: [{ name: 'pool' }]
    probes: [
      // Drain before scale-in stops JupyterHub (and its proxy on 8000): this probe then fails within ~10 s and the
      // rule stops sending new users to the VM while the people already on it keep their connections.
      { name: 'jupyterhub', properties: { protocol: 'Tcp', port: 8000, intervalInSeconds: 5, numberOfProbes: 2 } }
      { name: 'ssh', properties: { protocol: 'Tcp', port: 22, intervalInSeconds: 5, numberOfProbes: 2 } }
    ]
    loadBalancingRules: [
      {
        name: 'jupyterhub'
        properties: {
          frontendIPConfiguration: { id: frontendId }
          backendAddressPool: { id: backendId }
          probe: { id: resourceId('Microsoft.Network/loadBalancers/probes', loadBalancerName, 'jupyterhub') }
          protocol: 'Tcp'
          frontendPort: 8000
          backendPort: 8000
          loadDistribution: 'SourceIP'
          idleTimeoutInMinutes: 30
          enableTcpReset: true
          disableOutboundSnat: true
        }
      }
      {
        name: 'ssh'
        properties: {
          frontendIPConfiguration: { id: frontendId }
          backendAddressPool: { id: backendId }
          probe: { id: resourceId('Microsoft.Network/loadBalancers/probes', loadBalancerName, 'ssh') }
          protocol: 'Tcp'
          frontendPort: 22
          backendPort: 22
          loadDistribution: 'SourceIP'
          idleTimeoutInMinutes: 30
          enableTcpReset: true
          disableOutboundSnat: true
        }
      }
    ]
    inboundNatPools: [
      {
        name: 'ssh-per-vm'
        properties: {
          frontendIPConfiguration: { id: frontendId }
          protocol: 'Tcp'
          frontendPortRangeStart: sshNatStart
          frontendPortRangeEnd: sshNatStart + maxInstances * 2 // room for instance ids that grow past maxInstances
          backendPort: 22
        }
      }
      {
        name: 'jupyterhub-per-vm'
        properties: {
          frontendIPConfiguration: { id: frontendId }
          protocol: 'Tcp'
          frontendPortRangeStart: jupyterNatStart
          frontendPortRangeEnd: jupyterNatStart + maxInstances * 2
          backendPort: 8000
        }
      }
    ]
    outboundRules: [
      {
        name: 'pool-egress'
        properties: {
          frontendIPConfigurations: [{ id: frontendId }]
          backendAddressPool: { id: backendId }
          protocol: 'All'
          allocatedOutboundPorts: 512
          idleTimeoutInMinutes: 15
          enableTcpReset: true
        }
      }
    ]
  }
}

output vnetName string = vnet.name
output loadBalancerName string = loadBalancer.name
output poolSubnetId string = '${vnet.id}/subnets/pool'
output batchSubnetId string = '${vnet.id}/subnets/batch'
output backendPoolId string = backendId
output natPoolIds array = [
  resourceId('Microsoft.Network/loadBalancers/inboundNatPools', loadBalancerName, 'ssh-per-vm')
  resourceId('Microsoft.Network/loadBalancers/inboundNatPools', loadBalancerName, 'jupyterhub-per-vm')
]
output fqdn string = publicIp.properties.dnsSettings.fqdn
