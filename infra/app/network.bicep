// Network of the interactive pool and the Batch pools, and the load balancer in front of the DSVMs.
//
// Load balancer design (README "Deploy to Azure" explains it too):
// - A load-balanced rule for JupyterHub (8000) and SSH (22) with SourceIP persistence: every DSVM runs its own
//   JupyterHub, and a user's single-user server lives on the VM that hub spawned it on, so a user's requests
//   must keep reaching the same VM. Client-IP affinity does that without shared hub state.
// - Inbound NAT rules on the backend pool give each instance its own frontend port for SSH (nat-ssh, 50000-50999
//   → 22) and JupyterHub (nat-jupyter, 51000-51999 → 8000), so an admin can reach one named VM, and /connect can
//   send a user to the VM that has their server even after the pool has grown (a changed backend set may re-map
//   a client IP for new connections). Names and ranges are a contract with the broker (src/broker). Rules, not
//   inbound NAT pools: NAT pools retire on 30 September 2027 (Load Balancer docs, "Inbound NAT rules" /
//   migration from NAT pools). A rule with frontendPortRangeStart/End and backendAddressPool maps one port per
//   backend address (REST spec InboundNatRulePropertiesFormat, Microsoft.Network 2021-02-01 and later).
// - An outbound rule gives the VMs egress (apt, Azure Monitor ingestion) without a NAT gateway that bills by the hour.
param vnetName string
param loadBalancerName string
param publicIpName string
param dnsLabel string
param clientAddressPrefix string
param location string
param tags object

// The drain probe's port: session_reporter.py --serve-probe (DSVMPOOL_PROBE_PORT default).
var probePort = 8001

// The per-VM port contract (README "Deployment"; the broker reads it): 1000 ports each, one per instance.
var natRules = [
  { name: 'nat-ssh', frontendPortRangeStart: 50000, frontendPortRangeEnd: 50999, backendPort: 22 }
  { name: 'nat-jupyter', frontendPortRangeStart: 51000, frontendPortRangeEnd: 51999, backendPort: 8000 }
]

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
      {
        // Only the load balancer's health probes reach the drain probe (service tag AzureLoadBalancer, the probes'
        // source 168.63.129.16); nothing from the Internet.
        name: 'allow-drain-probe'
        properties: {
          priority: 120
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'AzureLoadBalancer'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: string(probePort)
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
      // The drain probe (docs/drain.md): `session_reporter.py --serve-probe` (systemd unit dsvm-session-probe.service)
      // answers GET on port 8001, any path, 200 while the VM takes new sessions and 503 while it is drained. An HTTP
      // probe is healthy only on 200 OK; any other status, a refused connection or a timeout marks the instance down
      // (ProbePropertiesFormat.protocol, Microsoft.Network REST reference: "If 'Http' or 'Https' is specified, a
      // 200 OK response from the specified URI is required"). A Standard load balancer sends a down instance no new
      // flows and lets established ones continue (Load Balancer "Health probes overview": "All probes down, all TCP
      // flows continue"), so open JupyterHub and SSH sessions survive a drain. probeThreshold 2 at 5 s (the minimum
      // interval, ProbePropertiesFormat.intervalInSeconds): out of rotation about 10 s after a drain starts.
      // Both load-balanced rules use it: with SourceIP persistence a refused SSH user reconnecting from the same address
      // would be sent to the same drained VM again. Inbound NAT rules have no probe (InboundNatRulePropertiesFormat
      // has no `probe` property), so an admin still reaches a drained VM on its own nat-ssh port, where pam_nologin
      // refuses non-root logins until the drain ends.
      {
        name: 'drain'
        properties: { protocol: 'Http', port: probePort, requestPath: '/', intervalInSeconds: 5, numberOfProbes: 2, probeThreshold: 2 }
      }
    ]
    loadBalancingRules: [
      {
        name: 'jupyterhub'
        properties: {
          frontendIPConfiguration: { id: frontendId }
          backendAddressPool: { id: backendId }
          probe: { id: resourceId('Microsoft.Network/loadBalancers/probes', loadBalancerName, 'drain') }
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
          probe: { id: resourceId('Microsoft.Network/loadBalancers/probes', loadBalancerName, 'drain') }
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
    inboundNatRules: [
      for rule in natRules: {
        name: rule.name
        properties: {
          frontendIPConfiguration: { id: frontendId }
          backendAddressPool: { id: backendId }
          protocol: 'Tcp'
          frontendPortRangeStart: rule.frontendPortRangeStart
          frontendPortRangeEnd: rule.frontendPortRangeEnd
          backendPort: rule.backendPort
          idleTimeoutInMinutes: 30
          enableTcpReset: true
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
output publicIpName string = publicIp.name
output poolSubnetId string = '${vnet.id}/subnets/pool'
output batchSubnetId string = '${vnet.id}/subnets/batch'
output backendPoolId string = backendId
output fqdn string = publicIp.properties.dnsSettings.fqdn
