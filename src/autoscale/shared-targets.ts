// One scale set, one policy: two enabled vmss policies on the same scale set would fight (one scales out what the
// other scales in, with 409s between them). PUT refuses the second; rows written by hand that already share a
// scale set are reported, and only the first pool by name is evaluated until an admin resolves it (README "Policies").
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
