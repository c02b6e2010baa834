// How many nodes a Batch pool should have, from the jobs that need it. Pure: `now` is passed in.
// Grows at once when jobs wait (nodes start within one tick); shrinks to minNodes only when no job is active on
// the pool and it has been idle for idleMinutesBeforeScaleDown; the resize lets running tasks complete.
import type { DescribedPool } from './batch-policy.js';
import type { PoolSnapshot } from './batch.port.js';

export interface PoolDemand {
  /** Jobs routed to the pool that are queued, dispatching, dispatched, running or cancelling. */
  activeJobs: number;
  /** Sum of their task slots. */
  slots: number;
}

export type PoolSizing =
  | { action: 'resize'; targetDedicatedNodes: number; reason: string; idleSince?: string }
  | { action: 'none'; reason: string; idleSince?: string };

export function sizePool(policy: DescribedPool, pool: PoolSnapshot, demand: PoolDemand, idleSince: string | undefined, now: Date): PoolSizing {
  const decided = decideSize(policy, pool, demand, idleSince, now);
  // Batch resizes only a steady pool; a resize in flight is left to finish and the next tick decides again.
  if (decided.action === 'resize' && pool.allocationState !== 'steady') {
    return { action: 'none', reason: `pool is ${pool.allocationState}; wanted ${decided.targetDedicatedNodes} nodes (${decided.reason})`, idleSince: decided.idleSince };
  }
  return decided;
}

function decideSize(policy: DescribedPool, pool: PoolSnapshot, demand: PoolDemand, idleSince: string | undefined, now: Date): PoolSizing {
  const target = pool.targetDedicatedNodes;
  if (demand.activeJobs > 0) {
    const wanted = Math.min(policy.maxNodes, Math.max(policy.minNodes, Math.ceil(demand.slots / policy.taskSlotsPerNode)));
    // A resize that failed (resizeErrors) leaves the pool steady below its target, and Batch does not try again by
    // itself: measure the need against the nodes it has, so the resize is asked for again on each tick.
    const have = pool.resizeErrors.length > 0 ? Math.min(target, pool.currentDedicatedNodes) : target;
    if (wanted > have) {
      return { action: 'resize', targetDedicatedNodes: wanted, reason: `${demand.activeJobs} job(s) need ${demand.slots} slot(s): ${have} → ${wanted} nodes (max ${policy.maxNodes})` };
    }
    return { action: 'none', reason: `${demand.activeJobs} job(s) active; ${target} node(s) suffice` };
  }
  if (target < policy.minNodes) {
    return { action: 'resize', targetDedicatedNodes: policy.minNodes, reason: `below minNodes ${policy.minNodes}`, idleSince };
  }
  const since = idleSince ?? now.toISOString();
  if (target === policy.minNodes) return { action: 'none', reason: `idle at minNodes ${policy.minNodes}`, idleSince: since };
  const idleMinutes = (now.getTime() - Date.parse(since)) / 60_000;
  if (idleMinutes >= policy.idleMinutesBeforeScaleDown) {
    return {
      action: 'resize',
      targetDedicatedNodes: policy.minNodes,
      reason: `no job for ${Math.floor(idleMinutes)} min (≥ ${policy.idleMinutesBeforeScaleDown}): ${target} → ${policy.minNodes} nodes`,
      idleSince: since,
    };
  }
  return { action: 'none', reason: `idle for ${Math.floor(idleMinutes)} of ${policy.idleMinutesBeforeScaleDown} min`, idleSince: since };
}
