// What GET /api/pools and /api/pools/{pool} show: the scale set as seen now, the plan an evaluation would make now
// (with its warnings), and the last recorded decision. Observes and decides, never acts.
import { kindOf } from '../policies/table-cells.js';
import { decide } from './decide.js';
import { errorOf } from './errors.js';
import type { AutoscaleDeps } from './evaluate-pool.js';
import { historyFrom, historyMinutes } from './history.js';
import { viewOf } from './instance-view.js';
import { mapBounded } from './map-bounded.js';
import { observePool } from './observe.js';
import type { PoolObservation } from './observation.js';
import { loadVmssPolicy, validVmssPolicies, vmssPolicyOf } from './pool-policy.js';
import { poolsSharingTarget, sharedTargetReason } from './shared-targets.js';
import type { VmssPolicy } from './policy.js';
import type { PolicyStore } from './policy-store.port.js';
import type { ScaleEvent } from './scale-event.js';
import type { ScalePlan } from './scale-plan.js';
import { withSeatFacts } from './seat-broker.port.js';
import { withinPoolTimeout } from './within-pool-timeout.js';

export interface PoolStatus {
  pool: string;
  target: string;
  enabled: boolean;
  dryRun: boolean;
  capacity?: number;
  provisioningState?: string;
  instances?: { instanceId: string; state: string; sessions: number | null; maxSessionsInWindow: number | null; protectFromScaleIn: boolean }[];
  /** What an evaluation would do now, and why. */
  now?: Pick<ScalePlan, 'direction' | 'reason' | 'targetActive' | 'figures'>;
  warnings: string[];
  lastEvent?: ScaleEvent;
  error?: { code: string; message: string };
}

type Deps = AutoscaleDeps & { policies: PolicyStore; maxConcurrentPools?: number; poolTimeoutMs?: number };

/**
 * One pool's status. `sharedWith` names the pool that manages the same scale set (see shared-targets.ts) when the
 * caller has listed the rows already; otherwise the rows are listed here.
 */
export async function poolStatus(deps: Deps, pool: string, policy?: VmssPolicy, sharedWith?: string | null): Promise<PoolStatus> {
  const p = policy ?? (await loadVmssPolicy(deps.policies, pool));
  if (sharedWith === undefined) sharedWith = poolsSharingTarget(validVmssPolicies(await deps.policies.list())).get(pool) ?? null;
  const now = deps.now();
  const base: PoolStatus = { pool, target: p.target, enabled: p.enabled, dryRun: p.dryRun, warnings: sharedWith ? [`not managed: target ${sharedTargetReason(sharedWith)}`] : [] };
  const [recent, lastPage] = await Promise.all([
    deps.events.since(pool, new Date(now.getTime() - historyMinutes(p) * 60_000)),
    deps.events.page(pool, { top: 1 }),
  ]);
  base.lastEvent = lastPage.events[0];
  let observation: PoolObservation;
  try {
    // Bounded like an evaluation (DSVMPOOL_POOL_TIMEOUT_SECONDS): a status read never waits as long as a hanging Azure.
    // The broker's facts as the evaluation reads them (seats held, people waiting, since when the scale set is busy);
    // a status without them still shows what Azure says.
    const [observed, facts] = await withinPoolTimeout(deps.poolTimeoutMs, `reading pool "${pool}" from Azure`, (abortSignal) =>
      Promise.all([
        observePool(pool, p, deps.scaleSets(p.target), deps.metrics, now, { abortSignal }),
        deps.broker?.facts(pool, p, now, { abortSignal }).catch(() => undefined),
      ]),
    );
    observation = withSeatFacts(observed, facts, now);
  } catch (e) {
    return { ...base, error: errorOf(e) };
  }
  const plan = decide(p, observation, now, historyFrom(recent));
  return {
    ...base,
    capacity: observation.capacity,
    provisioningState: observation.provisioningState,
    instances: observation.instances.map((i) => ({
      instanceId: i.instanceId,
      state: i.state,
      // null when unknown: no data, or a running VM whose newest sample is stale.
      sessions: viewOf(i, now, p.idleMinutesBeforeScaleIn).known ? i.sessions.latest : null,
      maxSessionsInWindow: i.sessions.hasData ? i.sessions.maxInWindow : null,
      protectFromScaleIn: i.protectFromScaleIn,
    })),
    now: { direction: plan.direction, reason: plan.reason, targetActive: plan.targetActive, figures: plan.figures },
    warnings: [...base.warnings, ...plan.warnings],
  };
}

/** Every vmss pool, including disabled and invalid ones (an invalid one shows its problems). */
export async function listPoolStatuses(deps: Deps): Promise<PoolStatus[]> {
  const rows = (await deps.policies.list()).filter((r) => kindOf(r.fields) !== 'batch');
  const sharing = poolsSharingTarget(validVmssPolicies(rows));
  // The rows are read already: each status parses its row rather than reading it again.
  return mapBounded(rows, deps.maxConcurrentPools ?? 8, (r) =>
    Promise.resolve().then(() => poolStatus(deps, r.pool, vmssPolicyOf(r.pool, r), sharing.get(r.pool) ?? null)).catch((e): PoolStatus => ({
      pool: r.pool, target: String(r.fields.target ?? ''), enabled: false, dryRun: false, warnings: [],
      error: errorOf(e),
    })),
  );
}
