// Where each VM is reached from outside: its inbound NAT port per session kind on the pool's load balancer. Read by
// the evaluation (not by a connect) and kept in the pool view, so a connect still makes no ARM call.
import type { Endpoint, SessionKind } from './pool-view.js';

/**
 * The inbound NAT rules of the contract with infra/app/network.bicep (natRules): rule name → the session kind whose
 * port it maps (nat-jupyter 51000-51999 → 8000, nat-ssh 50000-50999 → 22).
 */
export const NAT_RULE_KINDS: Readonly<Record<string, SessionKind>> = { 'nat-jupyter': 'jupyter', 'nat-ssh': 'ssh' };

export type InstanceEndpoints = Partial<Record<SessionKind, Endpoint>>;

export interface CallOptions {
  abortSignal?: AbortSignal;
}

/**
 * Reads per-VM endpoints of a scale set's load balancer. `read` answers the named instances it could map (an
 * instance with no mapping yet is left out). Errors: AutoscaleError with an ARM_* code (the adapter classifies them).
 */
export interface NatEndpointReader {
  read(scaleSetId: string, instanceIds: readonly string[], options?: CallOptions): Promise<Map<string, InstanceEndpoints>>;
}
