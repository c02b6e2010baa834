// The NatEndpointReader port over ARM: which frontend port of the pool's load balancer reaches each VM, per inbound
// NAT rule. The rules (infra/app/network.bicep: nat-ssh, nat-jupyter) target the backend pool with a frontend port
// range, for which "individual inbound NAT rule port mappings will be created for each backend address"
// (InboundNatRulePropertiesFormat, azure-rest-api-specs Microsoft.Network); Azure documents no formula, so the mapping
// is asked of ARM with "Load Balancers - List Inbound Nat Rule Port Mappings": POST …/loadBalancers/{lb}/
// backendAddressPools/{pool}/queryInboundNatRulePortMapping { ipConfiguration: { id } } → { inboundNatRulePortMappings:
// [ { inboundNatRuleName, protocol, frontendPort, backendPort } ] } (200, or 202 + Location to poll; spec example
// QueryInboundNatRulePortMapping.json, stable 2025-03-01). The scale set's VM model names the backend pool, NIC and
// IP configuration; the load balancer's frontend names the public IP whose DNS name (else address) users connect to.
// No @azure/arm-network dependency: three REST calls on the same core pipeline (token, retries, TLS) the other ARM
// clients use.
import { getClient, type Client, type HttpResponse } from '@azure-rest/core-client';
import { ComputeManagementClient } from '@azure/arm-compute';
import { NAT_RULE_KINDS, type InstanceEndpoints, type NatEndpointReader } from '../broker/nat-endpoints.port.js';
import type { Config } from '../config.js';
import { credentialFor, tlsOptionsFor } from './credentials.js';
import { parseScaleSetId } from './vmss.js';
import { classifyArmError } from './vmss-errors.js';

type NatConfig = Pick<Config, 'armEndpoint' | 'credential' | 'tlsCaFile' | 'armMaxRetries'>;

/** Microsoft.Network api-version of the spec example above. */
export const NETWORK_API_VERSION = '2025-03-01';
const ARM_SCOPE = 'https://management.azure.com/.default';
/** The load balancer, NIC and address change only when infra is re-provisioned: read them at most this often. */
const FRONT_TTL_MS = 10 * 60_000;
const POLLS = 10;

interface Front {
  backendPoolId: string;
  nicName: string;
  ipConfigurationName: string;
  address: string;
  readAtMs: number;
}

interface PortMapping {
  inboundNatRuleName?: string;
  frontendPort?: number;
  backendPort?: number;
}

export function createNatEndpointReader(config: NatConfig): NatEndpointReader {
  const credential = credentialFor(config);
  const tlsOptions = tlsOptionsFor(config);
  const rest: Client = getClient(config.armEndpoint, credential, {
    credentials: { scopes: [ARM_SCOPE] },
    userAgentOptions: { userAgentPrefix: 'dsvm-pool' },
    retryOptions: { maxRetries: config.armMaxRetries },
    ...(tlsOptions ? { tlsOptions } : {}),
  });
  const computes = new Map<string, ComputeManagementClient>();
  const fronts = new Map<string, Front>();
  const query = { 'api-version': NETWORK_API_VERSION };

  const ok = (response: HttpResponse, what: string): Record<string, unknown> => {
    const status = Number(response.status);
    if (status >= 200 && status < 300) return (response.body ?? {}) as Record<string, unknown>;
    const error = ((response.body ?? {}) as { error?: { code?: string; message?: string } }).error;
    throw classifyArmError(Object.assign(new Error(error?.message ?? `HTTP ${status}`), { statusCode: status, code: error?.code }), what);
  };
  const getResource = async (id: string, what: string, abortSignal?: AbortSignal) => {
    try {
      return ok(await rest.path(id).get({ queryParameters: query, ...(abortSignal ? { abortSignal } : {}) }), what);
    } catch (e) {
      throw classifyArmError(e, what);
    }
  };

  const frontOf = async (scaleSetId: string, abortSignal?: AbortSignal): Promise<Front> => {
    const cached = fronts.get(scaleSetId.toLowerCase());
    if (cached && Date.now() - cached.readAtMs < FRONT_TTL_MS) return cached;
    const id = parseScaleSetId(scaleSetId);
    let compute = computes.get(id.subscriptionId);
    if (!compute) {
      compute = new ComputeManagementClient(credential, id.subscriptionId, { endpoint: config.armEndpoint, retryOptions: { maxRetries: config.armMaxRetries }, ...(tlsOptions ? { tlsOptions } : {}) });
      computes.set(id.subscriptionId, compute);
    }
    let vmss;
    try {
      vmss = await compute.virtualMachineScaleSets.get(id.resourceGroup, id.name, { abortSignal });
    } catch (e) {
      throw classifyArmError(e, `get scale set ${id.name} (its load balancer)`);
    }
    const nics = vmss.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations ?? [];
    const nic = nics.find((n) => n.primary) ?? nics[0];
    const ipConfiguration = nic?.ipConfigurations?.find((c) => c.primary) ?? nic?.ipConfigurations?.[0];
    const backendPoolId = ipConfiguration?.loadBalancerBackendAddressPools?.[0]?.id;
    if (!nic || !ipConfiguration || !backendPoolId) throw classifyArmError(new Error('its VM model joins no load balancer backend pool'), `per-VM ports of ${id.name}`);
    const lbId = backendPoolId.replace(/\/backendAddressPools\/[^/]+$/i, '');
    const lb = await getResource(lbId, `get load balancer of ${id.name}`, abortSignal);
    const frontend = ((lb.properties as { frontendIPConfigurations?: { properties?: { publicIPAddress?: { id?: string }; privateIPAddress?: string } }[] })?.frontendIPConfigurations ?? [])[0]?.properties;
    let address = frontend?.privateIPAddress;
    if (frontend?.publicIPAddress?.id) {
      const ip = (await getResource(frontend.publicIPAddress.id, `get public IP of ${id.name}'s load balancer`, abortSignal)).properties as { ipAddress?: string; dnsSettings?: { fqdn?: string } } | undefined;
      address = ip?.dnsSettings?.fqdn ?? ip?.ipAddress;
    }
    if (!address) throw classifyArmError(new Error('the load balancer frontend has no address yet'), `per-VM ports of ${id.name}`);
    const front: Front = { backendPoolId, nicName: nic.name, ipConfigurationName: ipConfiguration.name, address, readAtMs: Date.now() };
    fronts.set(scaleSetId.toLowerCase(), front);
    return front;
  };

  const mappingOf = async (scaleSetId: string, front: Front, instanceId: string, abortSignal?: AbortSignal): Promise<PortMapping[]> => {
    const what = `query inbound NAT port mapping of instance ${instanceId}`;
    const ipConfigurationId = `${scaleSetId}/virtualMachines/${instanceId}/networkInterfaces/${front.nicName}/ipConfigurations/${front.ipConfigurationName}`;
    try {
      let response = await rest.path(`${front.backendPoolId}/queryInboundNatRulePortMapping`).post({
        queryParameters: query, body: { ipConfiguration: { id: ipConfigurationId } }, ...(abortSignal ? { abortSignal } : {}),
      });
      // A long-running POST: 202 with Location, polled with GET until it answers the result (final-state-via location).
      for (let poll = 0; Number(response.status) === 202 && poll < POLLS; poll++) {
        const location = response.headers.location;
        if (!location) break;
        await new Promise((r) => setTimeout(r, Math.min(Number(response.headers['retry-after'] ?? 1), 5) * 1000));
        response = await rest.path(location).get(abortSignal ? { abortSignal } : {});
      }
      if (Number(response.status) === 202) throw Object.assign(new Error('the port mapping query did not finish'), { name: 'AbortError' });
      return ((ok(response, what).inboundNatRulePortMappings ?? []) as PortMapping[]);
    } catch (e) {
      throw classifyArmError(e, what);
    }
  };

  return {
    async read(scaleSetId, instanceIds, options) {
      const out = new Map<string, InstanceEndpoints>();
      if (instanceIds.length === 0) return out;
      const front = await frontOf(scaleSetId, options?.abortSignal);
      for (const instanceId of instanceIds) {
        const endpoints: InstanceEndpoints = {};
        for (const m of await mappingOf(scaleSetId, front, instanceId, options?.abortSignal)) {
          const kind = m.inboundNatRuleName ? NAT_RULE_KINDS[m.inboundNatRuleName] : undefined;
          if (kind && typeof m.frontendPort === 'number') endpoints[kind] = { address: front.address, port: m.frontendPort };
        }
        if (endpoints.jupyter || endpoints.ssh) out.set(instanceId, endpoints);
      }
      return out;
    },
  };
}
