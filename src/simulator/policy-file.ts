// Reads a policy for a simulation: the same JSON as a `policies` row or the PUT /policy body, validated by the
// one policy schema. `kind` and `target` may be left out (a simulation has no real scale set).
import { parseVmssPolicy, type VmssPolicy } from '../autoscale/policy.js';
import { SimulatorError } from './errors.js';

export const SIMULATED_TARGET = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/simulation/providers/Microsoft.Compute/virtualMachineScaleSets/simulated';

export function policyFromJson(text: string, source = 'policy'): VmssPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SimulatorError('POLICY_INVALID', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SimulatorError('POLICY_INVALID', `${source} must be a JSON object of policy fields, e.g. {"seatsPerInstance": 4}`);
  }
  const parsed = parseVmssPolicy({ kind: 'vmss', target: SIMULATED_TARGET, ...(raw as Record<string, unknown>) });
  if (!parsed.ok) {
    throw new SimulatorError('POLICY_INVALID', `${source} is not a valid policy: ${parsed.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
  }
  return parsed.value;
}

/** The policy with every documented default: what "the default policy" means in the acceptance checks. */
export function defaultPolicy(): VmssPolicy {
  return policyFromJson('{}');
}
