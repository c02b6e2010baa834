// Composition root of the dashboard's server side: the one view the page polls (pools as GET /api/pools shows them,
// decisions, jobs, money) and a pool's timeline. It reuses the autoscale and job services, so the page and the API
// read the same views and can never disagree.
import { capacitySteps, countsOf } from '../autoscale/capacity-history.js';
import { vmssPolicyOf } from '../autoscale/pool-policy.js';
import { periodStarts, poolCost, type PoolPrice } from '../autoscale/pool-cost.js';
import type { PoolStatus } from '../autoscale/pool-status.js';
import type { PolicyRow, PolicyStore } from '../autoscale/policy-store.port.js';
import type { ScaleEvent } from '../autoscale/scale-event.js';
import type { ScaleEventStore } from '../autoscale/scale-event-store.port.js';
import type { SessionHistory } from '../autoscale/session-history.port.js';
import { buildTimeline, timelineWindow, type PoolTimeline, type TimelineRange } from '../autoscale/timeline.js';
import { createPolicyStore } from '../azure/policy-store.js';
import { createScaleEventStore } from '../azure/scale-events.js';
import { createSessionHistory } from '../azure/session-history.js';
import { tableClient } from '../azure/storage.js';
import { clock } from '../clock.js';
import { config } from '../config.js';
import { gpuHoursByUser } from '../jobs/gpu-hours.js';
import type { Viewer } from '../jobs/view-job.js';
import type { DashboardView } from '../web/dashboard-view.js';
import { DEFAULT_PRICES } from '../simulator/run-metrics.js';
import { autoscaleService, type AutoscaleService } from './autoscale.js';
import { jobService, type JobService } from './jobs.js';

export interface DashboardParts {
  autoscale: AutoscaleService;
  jobs: JobService;
  policies: PolicyStore;
  events: ScaleEventStore;
  sessions: SessionHistory;
  prices: Record<string, PoolPrice>;
  now: () => Date;
  /** How long one observation of the pools serves every viewer; default SNAPSHOT_MAX_AGE_MS. */
  snapshotMaxAgeMs?: number;
}

export interface DashboardService {
  view(viewer: Viewer): Promise<DashboardView>;
  timeline(pool: string, range: TimelineRange): Promise<PoolTimeline>;
}

const DECISIONS_PER_POOL = 100;
/** The page polls every 15 s; one observation serves everyone for 10 s. */
export const SNAPSHOT_MAX_AGE_MS = 10_000;
const JOBS_SHOWN = 100;
/** Keys that name people; users see the pools' state without them. */
const PERSONAL_KEYS = new Set(['user', 'users', 'requestedBy', 'sessionsByUser', 'byUser']);

export function createDashboardService(parts: DashboardParts): DashboardService {
  const priceOf = (pool: string): PoolPrice => parts.prices[pool] ?? { vmSize: DEFAULT_PRICES.vmSize, vmPerHour: DEFAULT_PRICES.vmPerHour };
  const snapshots = sharedSnapshot(parts, parts.snapshotMaxAgeMs ?? SNAPSHOT_MAX_AGE_MS);

  return {
    async view(viewer) {
      const [snap, jobs] = await Promise.all([snapshots(), parts.jobs.list({ top: JOBS_SHOWN }, viewer).then((p) => p.items)]);
      const { now, pools, eventsByPool, seatsPerInstance } = snap;
      const caller = { user: viewer.user, isAdmin: viewer.isAdmin };
      const at = now.toISOString();
      if (!viewer.isAdmin) return { caller, at, pools: pools.map((p) => withoutPeople(p)), seatsPerInstance, jobs };
      const from = historyStart(now);
      const decisions = pools.map((p) => ({ pool: p.pool, events: (eventsByPool.get(p.pool) ?? []).slice(0, DECISIONS_PER_POOL) }));
      const costs = pools
        .filter((p) => !p.error)
        .map((p) => poolCost(p.pool, capacitySteps(eventsByPool.get(p.pool) ?? [], from, now, currentCounts(p)), priceOf(p.pool), now));
      return { caller, at, pools, seatsPerInstance, jobs, decisions, money: { pools: costs, gpuHours: gpuHoursByUser(jobs, periodStarts(now).month, now) } };
    },

    async timeline(pool, range) {
      const now = parts.now();
      const policy = vmssPolicyOf(pool, await parts.policies.get(pool));
      const { from, to, intervalMinutes } = timelineWindow(range, now);
      const [sessions, events, status] = await Promise.all([
        parts.sessions.series(policy.target, { from, to }, intervalMinutes),
        parts.events.since(pool, from),
        parts.autoscale.status(pool).catch((): undefined => undefined),
      ]);
      return buildTimeline({ pool, range, now, seatsPerInstance: policy.seatsPerInstance, sessions, events, current: status && currentCounts(status) });
    },
  };
}

/** The events the view reads: back to the start of this month or week, and at least 7 days. */
function historyStart(now: Date): Date {
  const s = periodStarts(now);
  return new Date(Math.min(s.week.getTime(), s.month.getTime(), now.getTime() - 7 * 24 * 3_600_000));
}

interface Snapshot {
  now: Date;
  pools: PoolStatus[];
  eventsByPool: Map<string, ScaleEvent[]>;
  seatsPerInstance: Record<string, number>;
}

/**
 * One observation of every pool shared by every viewer for a few seconds, and one in flight at a time: N people
 * polling the page cost the ARM read quota of one. A failed observation is not kept.
 */
function sharedSnapshot(parts: DashboardParts, maxAgeMs: number): () => Promise<Snapshot> {
  let current: { at: number; value: Promise<Snapshot> } | undefined;
  const take = async (): Promise<Snapshot> => {
    const now = parts.now();
    const [pools, seatsPerInstance] = await Promise.all([parts.autoscale.list(), parts.policies.list().then(seatsOf)]);
    const from = historyStart(now);
    const events = await Promise.all(pools.map((p) => parts.events.since(p.pool, from)));
    return { now, pools, seatsPerInstance, eventsByPool: new Map(pools.map((p, i) => [p.pool, events[i]!])) };
  };
  return () => {
    const t = parts.now().getTime();
    if (current && t - current.at >= 0 && t - current.at < maxAgeMs) return current.value;
    const value = take();
    const entry = { at: t, value };
    current = entry;
    value.catch(() => {
      if (current === entry) current = undefined;
    });
    return value;
  };
}

function seatsOf(rows: readonly PolicyRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    if (r.fields.kind === 'batch') continue;
    try {
      out[r.pool] = vmssPolicyOf(r.pool, r).seatsPerInstance;
    } catch {
      // An invalid row shows its error on the pool; it has no seats to show.
    }
  }
  return out;
}

/** The pool's counts as the status saw them now; undefined when it could not observe the scale set. */
function currentCounts(status: PoolStatus): { activeVms: number; billedVms: number } | undefined {
  if (!status.instances) return undefined;
  return countsOf({ capacity: status.capacity ?? 0, provisioningState: status.provisioningState ?? '', instances: status.instances.map((i) => `${i.instanceId} ${i.state}`) });
}

/** A deep copy without the keys that name people, and with sign-in names in text (e.g. a wake's reason) replaced. */
export function withoutPeople<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutPeople(v)) as T;
  if (typeof value === 'string') return value.replace(/[^\s@()'"]+@[^\s@()'"]+\.[^\s@()'",;]+/g, 'someone') as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !PERSONAL_KEYS.has(k)).map(([k, v]) => [k, withoutPeople(v)])) as T;
}

let service: DashboardService | undefined;
export function dashboardService(): DashboardService {
  const cfg = config();
  service ??= createDashboardService({
    autoscale: autoscaleService(),
    jobs: jobService(),
    policies: createPolicyStore(tableClient(cfg, 'policies')),
    events: createScaleEventStore(tableClient(cfg, 'scaleevents')),
    sessions: createSessionHistory(cfg),
    prices: cfg.poolPrices,
    now: () => clock().now(),
  });
  return service;
}

