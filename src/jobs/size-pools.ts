// Pool sizing step of sync: for each enabled batch policy, read the Batch pool (which also refreshes the pool
// catalog's facts), describe it, size it from the jobs that need it, record why it cannot grow, and record each
// user's use of it (for admins: GET /api/pools/{pool}/usage).
import { unfinishedTasks } from './array-tasks.js';
import { usageOf } from './admission.js';
import type { DescribedPool } from './batch-policy.js';
import type { BatchPolicySource } from './batch-policy-source.port.js';
import type { BatchPort, PoolSnapshot } from './batch.port.js';
import type { JobRecord } from './job-record.js';
import { isFinal } from './job-state.js';
import type { JobStore, UserUsage } from './job-store.port.js';
import { describePool } from './pool-catalog.js';
import { poolProblem } from './pool-problem.js';
import { sizePool, type PoolDemand } from './pool-sizing.js';
import { requiredSlots, routeJob } from './route-job.js';

/** What sizing adds to sync's report. */
export interface SizingReport {
  pools: { pool: string; action: string; targetDedicatedNodes?: number; reason: string }[];
  errors: { scope: string; code: string; message: string }[];
}

export interface SizePoolsDeps {
  store: JobStore;
  batch: BatchPort;
  policies: BatchPolicySource;
  /** Told what each pool read found, so dispatch routes on facts at most one tick old. */
  remember(poolId: string, snapshot: PoolSnapshot | undefined): void;
}

function demandOf(pool: DescribedPool, all: DescribedPool[], records: JobRecord[]): PoolDemand {
  let activeJobs = 0;
  let slots = 0;
  for (const r of records) {
    if (isFinal(r.state) || (r.state === 'queued' && r.waitingFor)) continue;
    let name = r.pool;
    if (!name) {
      const route = routeJob(r.spec, all);
      name = route.ok ? route.policy.name : undefined;
    }
    if (name !== pool.name) continue;
    activeJobs++;
    slots += requiredSlots(r.spec.resources, pool) * unfinishedTasks(r);
  }
  return { activeJobs, slots };
}

/** Each user's use of the pool, as of this tick, for admins. */
export function usageByUser(records: JobRecord[], pool: string): Record<string, UserUsage> {
  const byUser = new Map<string, JobRecord[]>();
  for (const r of records) byUser.set(r.user, [...(byUser.get(r.user) ?? []), r]);
  const out: Record<string, UserUsage> = {};
  for (const [user, rs] of byUser) {
    const u = usageOf(rs, pool);
    if (u.tasks + u.held > 0) out[user] = u;
  }
  return out;
}

export async function sizePools(deps: SizePoolsDeps, records: JobRecord[], now: Date, report: SizingReport, fail: (scope: string, e: unknown) => void): Promise<void> {
  let set;
  try {
    set = await deps.policies.list({ fresh: true });
  } catch (error) {
    fail('policies', error);
    return;
  }
  for (const bad of set.invalid) report.errors.push({ scope: `policy ${bad.name}`, code: 'POLICY_INVALID', message: bad.problems.join('; ') });
  const described: { pool: DescribedPool; snapshot: PoolSnapshot }[] = [];
  for (const policy of set.policies) {
    if (!policy.enabled) continue;
    try {
      let snapshot: PoolSnapshot | undefined;
      try {
        snapshot = await deps.batch.getPool(policy.poolId);
      } catch (error) {
        if ((error as { code?: string }).code !== 'BATCH_NOT_FOUND') throw error;
      }
      deps.remember(policy.poolId, snapshot);
      const d = describePool(policy, snapshot);
      if (!d.ok) {
        report.errors.push({ scope: `pool ${policy.name}`, code: 'BATCH_POOL_UNUSABLE', message: d.reason });
        continue;
      }
      described.push({ pool: d.pool, snapshot: snapshot! });
    } catch (error) {
      fail(`pool ${policy.name}`, error);
    }
  }
  const all = described.map((d) => d.pool);
  for (const { pool, snapshot } of described) {
    try {
      const state = await deps.store.getPoolState(pool.name);
      const sizing = sizePool(pool, snapshot, demandOf(pool, all, records), state.idleSince, now);
      if (sizing.action === 'resize' && !pool.dryRun) await deps.batch.resizePool(pool.poolId, sizing.targetDedicatedNodes);
      report.pools.push({
        pool: pool.name,
        action: sizing.action === 'resize' && pool.dryRun ? 'dry-run' : sizing.action,
        targetDedicatedNodes: sizing.action === 'resize' ? sizing.targetDedicatedNodes : snapshot.targetDedicatedNodes,
        reason: sizing.reason,
      });
      const problem = poolProblem(pool, snapshot);
      if (problem) report.errors.push({ scope: `pool ${pool.name}`, code: 'POOL_CANNOT_GROW', message: problem });
      const usage = usageByUser(records, pool.name);
      const usageJson = JSON.stringify(usage);
      if (sizing.idleSince !== state.idleSince || problem !== state.problem || usageJson !== JSON.stringify(state.usage ?? {})) {
        await deps.store.putPoolState(pool.name, { idleSince: sizing.idleSince, problem, usage, usageAt: now.toISOString(), etag: state.etag });
      }
    } catch (error) {
      fail(`pool ${pool.name}`, error);
    }
  }
}
