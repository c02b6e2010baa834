// ARM Network routes for the emulated load balancer of each scale set (load-balancer.ts): GET the load balancer, GET
// its public IP, and POST …/backendAddressPools/{pool}/queryInboundNatRulePortMapping ("LoadBalancers_List
// InboundNatRulePortMappings", azure-rest-api-specs Microsoft.Network stable/2025-03-01, example
// QueryInboundNatRulePortMapping.json: body { ipConfiguration: { id } } or { ipAddress }, answer 200
// { inboundNatRulePortMappings: [ { inboundNatRuleName, protocol, frontendPort, backendPort } ] }).
import { errorResponse } from '../error-body.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { ScaleSetRecord, ScaleSetRegistry } from '../compute/scale-set-registry.js';
import type { SimClock } from '../sim-clock.js';
import {
  BACKEND_POOL, FRONTEND_ADDRESS, IP_CONFIGURATION_NAME, loadBalancerId, loadBalancerName, NAT_RULES, NIC_NAME, publicIpId, publicIpName, type NatSlots,
} from './load-balancer.js';

const GROUP = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
/** …/virtualMachineScaleSets/{vmss}/virtualMachines/{instanceId}/networkInterfaces/{nic}/ipConfigurations/{ipconfig} */
const VMSS_IP_CONFIGURATION = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)\/virtualMachines\/([^/]+)\/networkInterfaces\/([^/]+)\/ipConfigurations\/([^/]+)$/i;

export interface NetworkRoutesOptions {
  registry: ScaleSetRegistry;
  slots: NatSlots;
  clock: SimClock;
  /** Answer the port mapping query as a long-running POST: 202 + Location, the result served at that URL once. */
  async?: () => boolean;
}

export function createNetworkRoutes(o: NetworkRoutesOptions): Route[] {
  const { registry, slots, clock } = o;
  /** Results of asynchronous queries, by operation id, until read. */
  const results = new Map<string, EmuResponse>();
  let nextResult = 1;
  /** The scale set whose load balancer (or public IP) this is: `lb-{vmss}` / `pip-{vmss}` in the same group. */
  const owner = (req: EmuRequest, name: string, prefix: string): ScaleSetRecord | undefined =>
    name.toLowerCase().startsWith(prefix) ? registry.find(req.params.subscriptionId!, req.params.resourceGroupName!, name.slice(prefix.length)) : undefined;
  const notFound = (type: string, name: string, group: string) =>
    errorResponse('arm', 404, 'ResourceNotFound', `The Resource 'Microsoft.Network/${type}/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);

  return [
    {
      method: 'GET', pattern: `${GROUP}/loadBalancers/{loadBalancerName}`, operation: 'network.loadBalancer.get', family: 'arm',
      handle: (req) => {
        const r = owner(req, req.params.loadBalancerName!, 'lb-');
        return r ? { status: 200, body: loadBalancerBody(r) } : notFound('loadBalancers', req.params.loadBalancerName!, req.params.resourceGroupName!);
      },
    },
    {
      method: 'GET', pattern: `${GROUP}/publicIPAddresses/{publicIpAddressName}`, operation: 'network.publicIp.get', family: 'arm',
      handle: (req) => {
        const r = owner(req, req.params.publicIpAddressName!, 'pip-');
        if (!r) return notFound('publicIPAddresses', req.params.publicIpAddressName!, req.params.resourceGroupName!);
        return {
          status: 200,
          body: {
            name: publicIpName(r.name), id: publicIpId(r), type: 'Microsoft.Network/publicIPAddresses', location: r.location,
            sku: { name: 'Standard', tier: 'Regional' },
            properties: { provisioningState: 'Succeeded', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static', ipAddress: FRONTEND_ADDRESS },
          },
        };
      },
    },
    {
      method: 'POST', pattern: `${GROUP}/loadBalancers/{loadBalancerName}/backendAddressPools/{backendPoolName}/queryInboundNatRulePortMapping`,
      operation: 'network.loadBalancer.queryInboundNatRulePortMapping', family: 'arm',
      handle: (req) => {
        const r = owner(req, req.params.loadBalancerName!, 'lb-');
        if (!r) return notFound('loadBalancers', req.params.loadBalancerName!, req.params.resourceGroupName!);
        if (req.params.backendPoolName!.toLowerCase() !== BACKEND_POOL) return notFound(`loadBalancers/${loadBalancerName(r.name)}/backendAddressPools`, req.params.backendPoolName!, r.resourceGroup);
        const answer = queryPortMapping(req, r);
        if (!o.async?.() || answer.status !== 200) return answer;
        const id = `natquery-${nextResult++}`;
        results.set(id, answer);
        const location = `${req.baseUrl}/subscriptions/${r.subscriptionId}/providers/Microsoft.Network/locations/${r.location}/operationResults/${id}?api-version=${req.query.get('api-version') ?? '2025-03-01'}`;
        return { status: 202, headers: { location, 'retry-after': '1' } };
      },
    },
    {
      method: 'GET', pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/operationResults/{operationId}',
      operation: 'network.operationResult.get', family: 'arm',
      handle: (req) => {
        const answer = results.get(req.params.operationId!);
        if (!answer) return errorResponse('arm', 404, 'NotFound', `Operation ${req.params.operationId} was not found.`);
        results.delete(req.params.operationId!);
        return answer;
      },
    },
  ];

  function queryPortMapping(req: EmuRequest, r: ScaleSetRecord): EmuResponse {
    const body = (req.body ?? {}) as { ipConfiguration?: { id?: unknown }; ipAddress?: unknown };
    const id = typeof body.ipConfiguration?.id === 'string' ? body.ipConfiguration.id : undefined;
    if (!id) {
      const why = body.ipAddress !== undefined ? 'The emulator answers only by ipConfiguration.id (its VMs have no private addresses).' : 'Either ipConfiguration or ipAddress is required.';
      return errorResponse('arm', 400, 'InvalidRequestFormat', `Cannot parse the request. ${why}`);
    }
    const m = VMSS_IP_CONFIGURATION.exec(id);
    r.model.advance(clock.now());
    const sameSet = m && m[1]!.toLowerCase() === r.subscriptionId.toLowerCase() && m[2]!.toLowerCase() === r.resourceGroup.toLowerCase() && m[3]!.toLowerCase() === r.name.toLowerCase();
    const instance = sameSet ? r.model.get(m[4]!) : undefined;
    if (!m || !instance || m[5]!.toLowerCase() !== NIC_NAME || m[6]!.toLowerCase() !== IP_CONFIGURATION_NAME) {
      return errorResponse('arm', 400, 'InvalidResourceReference', `Resource ${id} referenced by request is not found in backend address pool ${loadBalancerId(r)}/backendAddressPools/${BACKEND_POOL}.`);
    }
    const slot = slots.slotOf(r, instance.instanceId);
    if (slot === undefined) return { status: 200, body: { inboundNatRulePortMappings: [] } };
    return {
      status: 200,
      body: {
        inboundNatRulePortMappings: NAT_RULES.map((n) => ({ inboundNatRuleName: n.name, protocol: 'Tcp', frontendPort: n.frontendPortRangeStart + slot, backendPort: n.backendPort })),
      },
    };
  }
}

function loadBalancerBody(r: ScaleSetRecord): Record<string, unknown> {
  const lbId = loadBalancerId(r);
  const frontendId = `${lbId}/frontendIPConfigurations/public`;
  const poolId = `${lbId}/backendAddressPools/${BACKEND_POOL}`;
  return {
    name: loadBalancerName(r.name), id: lbId, type: 'Microsoft.Network/loadBalancers', location: r.location,
    sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      frontendIPConfigurations: [{ name: 'public', id: frontendId, properties: { provisioningState: 'Succeeded', publicIPAddress: { id: publicIpId(r) } } }],
      backendAddressPools: [{ name: BACKEND_POOL, id: poolId, properties: { provisioningState: 'Succeeded' } }],
      inboundNatRules: NAT_RULES.map((n) => ({
        name: n.name, id: `${lbId}/inboundNatRules/${n.name}`,
        properties: {
          provisioningState: 'Succeeded', frontendIPConfiguration: { id: frontendId }, backendAddressPool: { id: poolId }, protocol: 'Tcp',
          frontendPortRangeStart: n.frontendPortRangeStart, frontendPortRangeEnd: n.frontendPortRangeEnd, backendPort: n.backendPort,
          idleTimeoutInMinutes: 30, enableFloatingIP: false, enableTcpReset: true,
        },
      })),
    },
  };
}
