// The emulated Standard load balancer in front of each emulated scale set, as infra/app/network.bicep declares it:
// load balancer `lb-{vmss}` in the scale set's resource group with backend pool `pool`, frontend `public` on public
// IP `pip-{vmss}` (127.0.0.1: locally every VM is this machine), and inbound NAT rules that map one frontend port per
// backend address (nat-ssh 50000-50999 → 22, nat-jupyter 51000-51999 → 8000).
//
// Azure documents no formula from instance to frontend port for such a rule ("Individual inbound NAT rule port
// mappings will be created for each backend address from BackendAddressPool", InboundNatRulePropertiesFormat,
// Microsoft.Network REST spec); a client asks with queryInboundNatRulePortMapping. The emulator gives each instance
// the lowest free slot of the range when it is first asked for, keeps it while the instance exists, and frees it
// when the instance is gone, so clients cannot compute the port from the instance id and must ask, as in Azure.
import type { ScaleSetRecord } from '../compute/scale-set-registry.js';

export interface NatRule {
  name: string;
  frontendPortRangeStart: number;
  frontendPortRangeEnd: number;
  backendPort: number;
}

/** The contract with infra/app/network.bicep (variable natRules). */
export const NAT_RULES: readonly NatRule[] = [
  { name: 'nat-ssh', frontendPortRangeStart: 50000, frontendPortRangeEnd: 50999, backendPort: 22 },
  { name: 'nat-jupyter', frontendPortRangeStart: 51000, frontendPortRangeEnd: 51999, backendPort: 8000 },
];
export const BACKEND_POOL = 'pool';
export const FRONTEND_ADDRESS = '127.0.0.1';
/** The names the emulator's scale set VMs' NIC and IP configuration carry (as infra/app/pool.bicep names them). */
export const NIC_NAME = 'nic';
export const IP_CONFIGURATION_NAME = 'ipconfig';

export const loadBalancerName = (scaleSetName: string): string => `lb-${scaleSetName}`;
export const publicIpName = (scaleSetName: string): string => `pip-${scaleSetName}`;

export function loadBalancerId(r: Pick<ScaleSetRecord, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Network/loadBalancers/${loadBalancerName(r.name)}`;
}
export function publicIpId(r: Pick<ScaleSetRecord, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Network/publicIPAddresses/${publicIpName(r.name)}`;
}

/** Per scale set: instance id → slot (offset from each rule's frontendPortRangeStart). */
export class NatSlots {
  private readonly slots = new Map<string, Map<string, number>>();

  /** The slot of an instance that exists, assigning the lowest free one on first ask; undefined when the range is full. */
  slotOf(r: ScaleSetRecord, instanceId: string): number | undefined {
    const key = r.id.toLowerCase();
    let bySet = this.slots.get(key);
    if (!bySet) this.slots.set(key, (bySet = new Map()));
    const present = new Set(r.model.instances().map((i) => i.instanceId));
    for (const id of [...bySet.keys()]) if (!present.has(id)) bySet.delete(id);
    const known = bySet.get(instanceId);
    if (known !== undefined) return known;
    const used = new Set(bySet.values());
    const size = Math.min(...NAT_RULES.map((n) => n.frontendPortRangeEnd - n.frontendPortRangeStart + 1));
    for (let slot = 0; slot < size; slot++) {
      if (!used.has(slot)) {
        bySet.set(instanceId, slot);
        return slot;
      }
    }
    return undefined;
  }

  clear(): void {
    this.slots.clear();
  }
}
