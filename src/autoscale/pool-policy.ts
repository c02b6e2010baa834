// Loads one pool's vmss policy, as a value: the policy, or why there is none.
import { kindOf } from '../policies/table-cells.js';
import { AutoscaleError } from './errors.js';
import { parseVmssPolicy, type VmssPolicy } from './policy.js';
import type { PolicyRow, PolicyStore } from './policy-store.port.js';

export async function loadVmssPolicy(policies: PolicyStore, pool: string): Promise<VmssPolicy> {
  return vmssPolicyOf(pool, await policies.get(pool));
}

/** The vmss policy of a row already read (e.g. by a list), or the same errors loadVmssPolicy gives. */
export function vmssPolicyOf(pool: string, row: PolicyRow | undefined): VmssPolicy {
  if (row && kindOf(row.fields) === 'batch') {
    // Not "add one with PUT": that would be refused (a pool keeps its kind), and would take the Batch pool from its jobs.
    throw new AutoscaleError('POOL_NOT_FOUND', `"${pool}" is a Batch pool, where jobs run (POST /api/jobs with "pool": "${pool}"); it has no VMs to connect to or wake. GET /api/pools lists the VM scale set pools.`);
  }
  if (!row) {
    throw new AutoscaleError('POOL_NOT_FOUND', `There is no VM scale set pool "${pool}". GET /api/pools lists the pools; an admin adds one with PUT /api/pools/${pool}/policy.`);
  }
  const parsed = parseVmssPolicy(row.fields);
  if (!parsed.ok) {
    throw new AutoscaleError('POLICY_INVALID', `The policy of pool "${pool}" is invalid, so the pool is not managed: ${parsed.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}. An admin fixes it with PUT /api/pools/${pool}/policy.`, { problems: parsed.problems });
  }
  return parsed.value;
}

/** The valid vmss policies among rows (invalid and batch rows left out), e.g. to compare targets. */
export function validVmssPolicies(rows: readonly PolicyRow[]): { pool: string; policy: VmssPolicy }[] {
  return rows.flatMap((r) => {
    if (kindOf(r.fields) === 'batch') return [];
    const parsed = parseVmssPolicy(r.fields);
    return parsed.ok ? [{ pool: r.pool, policy: parsed.value }] : [];
  });
}
