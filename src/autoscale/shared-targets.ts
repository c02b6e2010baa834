// One scale set, one policy: two enabled vmss policies on the same scale set would fight (one scales out what the
// other scales in, with 409s between them). PUT refuses the second; rows written by hand that already share a
// scale set are reported, and only the first pool by name is evaluated until an admin resolves it (README "Policies").
import { cellValue, kindOf, tableBoolean } from '../policies/table-cells.js';
import { AutoscaleError } from './errors.js';
import type { VmssPolicy } from './policy.js';

/** ARM resource ids compare case-insensitively. */
const targetKey = (target: string) => target.trim().toLowerCase();

/**
 * Of enabled pools sharing a scale set, every pool but the first by name, mapped to that first pool. Pools alone on
 * their scale set are absent.
 */
export function poolsSharingTarget(pools: readonly { pool: string; policy: VmssPolicy }[]): Map<string, string> {
  const byTarget = new Map<string, string[]>();
  for (const p of pools) {
    if (!p.policy.enabled) continue;
    const key = targetKey(p.policy.target);
    byTarget.set(key, [...(byTarget.get(key) ?? []), p.pool]);
  }
  const skipped = new Map<string, string>();
  for (const names of byTarget.values()) {
    const [keeper, ...rest] = [...names].sort();
    for (const name of rest) skipped.set(name, keeper!);
  }
  return skipped;
}

/** Why a pool is skipped because another pool manages its scale set, in words for events and statuses. */
export function sharedTargetReason(keeper: string): string {
  return `is the same scale set as pool "${keeper}"; two policies on one scale set would fight, so only "${keeper}" is managed until one of them changes its target or sets enabled false`;
}

/** Throws POLICY_CONFLICT when an enabled policy would manage a scale set another enabled pool already manages. */
export function assertTargetFree(pool: string, policy: VmssPolicy, others: readonly { pool: string; policy: VmssPolicy }[]): void {
  if (!policy.enabled) return;
  const owner = others.find((o) => o.pool !== pool && o.policy.enabled && targetKey(o.policy.target) === targetKey(policy.target));
  if (!owner) return;
  throw new AutoscaleError(
    'POLICY_CONFLICT',
    `Pool "${owner.pool}" already manages scale set ${policy.target}; one scale set takes one policy. Change that pool's policy (or set its enabled false) first, or set enabled false here.`,
    { problems: [{ field: 'target', reason: `is already managed by pool "${owner.pool}"` }] },
  );
}

/** A stored row's kind as the policy union reads it (any case, src/policies/table-cells.ts); a row without one is read as vmss. */
const storedKind = (fields: Record<string, unknown>): string => kindOf(fields) ?? 'vmss';

/** A stored row's `enabled` as the policy schemas read it (absent: true); a cell that is no boolean counts as enabled. */
function storedEnabled(fields: Record<string, unknown>): boolean {
  const parsed = tableBoolean(true).safeParse(fields.enabled);
  return !parsed.success || parsed.data;
}

/**
 * Throws POLICY_CONFLICT when a PUT would change the kind of a pool that already has a policy: a `vmss` pool turned
 * `batch` would leave its scale set's VMs running with nothing managing them, and a `batch` pool turned `vmss` would
 * take that Batch pool away from the jobs routed to it. `rows`: the stored rows, raw.
 */
export function assertSameKind(pool: string, kind: 'vmss' | 'batch', rows: readonly { pool: string; fields: Record<string, unknown> }[]): void {
  const current = rows.find((r) => r.pool === pool);
  if (!current) return;
  const was = storedKind(current.fields);
  if (was === kind) return;
  throw new AutoscaleError(
    'POLICY_CONFLICT',
    `Pool "${pool}" already has a ${was} policy; a policy cannot change a pool's kind (its ${was === 'vmss' ? 'scale set would be left running unmanaged' : 'Batch pool would be taken from the jobs routed to it'}). Choose another pool name for the ${kind} policy, and set enabled false on "${pool}" if it should stop.`,
    { problems: [{ field: 'kind', reason: `must stay "${was}" for pool "${pool}"` }] },
  );
}

/**
 * Throws POLICY_CONFLICT when an enabled `batch` policy would size a Batch pool that another enabled pool's policy
 * already sizes (two policies would fight over its target node count). Batch pool ids compare case-insensitively:
 * "The ID is case-preserving and case-insensitive (that is, you may not have two IDs within an Account that differ
 * only by case)" (Learn, .NET reference of the Batch pool's `id`: Microsoft.Azure.Batch.Protocol.Models.CloudPool.Id and
 * Azure.Compute.Batch.BatchPoolCreateOptions.Id, the same text as the Batch REST API's Pool - Add).
 */
export function assertBatchPoolFree(pool: string, policy: { poolId: string; enabled?: boolean }, rows: readonly { pool: string; fields: Record<string, unknown> }[]): void {
  if (policy.enabled === false) return;
  const key = policy.poolId.trim().toLowerCase();
  const owner = rows.find((r) => r.pool !== pool && storedKind(r.fields) === 'batch' && storedEnabled(r.fields) && String(cellValue(r.fields.poolId) ?? '').trim().toLowerCase() === key);
  if (!owner) return;
  throw new AutoscaleError(
    'POLICY_CONFLICT',
    `Pool "${owner.pool}" already sizes Batch pool ${policy.poolId}; one Batch pool takes one policy. Change that pool's policy (or set its enabled false) first, or set enabled false here.`,
    { problems: [{ field: 'poolId', reason: `is already sized by pool "${owner.pool}"` }] },
  );
}
