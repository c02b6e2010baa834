// Composition root of autoscale: wires the ARM, Monitor and table adapters into the use cases, once per process.
// Trigger files call these functions and never build adapters themselves.
import { hostname } from 'node:os';
import { AutoscaleError, type AutoscaleErrorCode } from '../autoscale/errors.js';
import type { AutoscaleDeps } from '../autoscale/evaluate-pool.js';
import { listPoolStatuses, poolStatus, type PoolStatus } from '../autoscale/pool-status.js';
import { validVmssPolicies } from '../autoscale/pool-policy.js';
import { vmssPolicyToRow } from '../autoscale/policy.js';
import { assertBatchPoolFree, assertSameKind, assertTargetFree } from '../autoscale/shared-targets.js';
import type { PolicyRow, PolicyStore } from '../autoscale/policy-store.port.js';
import type { ScaleEventPage } from '../autoscale/scale-event-store.port.js';
import { runTick, type TickDeps, type TickSummary } from '../autoscale/tick.js';
import { wakePool, type WakeResult } from '../autoscale/wake-pool.js';
import { createSessionMetrics } from '../azure/metrics.js';
import { createPolicyStore } from '../azure/policy-store.js';
import { createScaleEventStore } from '../azure/scale-events.js';
import { tableClient } from '../azure/storage.js';
import { createTableLease } from '../azure/table-lease.js';
import { createScaleSetResolver } from '../azure/vmss.js';
import { brokerPartsFromConfig, createBrokerService, type BrokerService } from './broker.js';
import { clock } from '../clock.js';
import { config, type Config } from '../config.js';
import { parsePolicy, type Policy } from '../policies/policy.js';

export interface AutoscaleService {
  tick(): Promise<TickSummary>;
  wake(pool: string, requestedBy: string, trigger: 'wake' | 'connect'): Promise<WakeResult>;
  status(pool: string): Promise<PoolStatus>;
  list(): Promise<PoolStatus[]>;
  events(pool: string, top: number, continuationToken?: string): Promise<ScaleEventPage>;
  getPolicy(pool: string): Promise<PolicyRow | undefined>;
  /**
   * Replaces the pool's row; POLICY_CONFLICT when another enabled pool manages the same scale set or Batch pool, or the
   * pool already has a policy of the other kind.
   */
  putPolicy(pool: string, policy: Policy): Promise<void>;
}

export function createAutoscaleService(deps: TickDeps): AutoscaleService {
  return {
    tick: () => runTick(deps),
    wake: (pool, requestedBy, trigger) => wakePool(deps, pool, requestedBy, trigger),
    async status(pool) {
      const s = await poolStatus(deps, pool);
      // One pool asked for: Azure trouble is the answer (503 with Retry-After, README "Pools API"), not a 200 with an
      // error field; GET /api/pools keeps the field per pool, so one pool's trouble does not hide the others.
      if (s.error) throw new AutoscaleError(s.error.code as AutoscaleErrorCode, s.error.message);
      return s;
    },
    list: () => listPoolStatuses(deps),
    events: (pool, top, continuationToken) => deps.events.page(pool, { top, continuationToken }),
    getPolicy: (pool) => deps.policies.get(pool),
    async putPolicy(pool, policy) {
      const rows = await deps.policies.list();
      assertSameKind(pool, policy.kind, rows);
      if (policy.kind === 'vmss') assertTargetFree(pool, policy, validVmssPolicies(rows));
      // Only valid rows size a Batch pool (an invalid one is reported and skipped), as only valid vmss rows manage a
      // scale set: a broken row written by hand must not block the policy that fixes things.
      else assertBatchPoolFree(pool, policy, rows.filter((r) => parsePolicy(r.fields).ok));
      await deps.policies.put(pool, policy.kind === 'vmss' ? vmssPolicyToRow(policy) : scalars(policy));
    },
  };
}

/** Batch rows are scalars already; drop anything undefined. */
function scalars(policy: Policy): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined && v !== null)) as Record<string, string | number | boolean>;
}

export function autoscaleDepsFromConfig(cfg: Config): TickDeps {
  const policies: PolicyStore = createPolicyStore(tableClient(cfg, 'policies'));
  const broker = brokerPartsFromConfig(cfg);
  const deps: AutoscaleDeps = {
    scaleSets: createScaleSetResolver(cfg),
    metrics: createSessionMetrics(cfg),
    events: createScaleEventStore(tableClient(cfg, 'scaleevents')),
    leases: createTableLease(tableClient(cfg, 'leases')),
    now: () => clock().now(),
    leaseNow: () => new Date(),
    holder: `${process.env.WEBSITE_INSTANCE_ID?.slice(0, 12) ?? hostname()}:${process.pid}`,
    // An evaluation that did nothing and warned of nothing is debug-level, so an idle app's log stays quiet.
    log: (fields) => (isIdle(fields) ? console.debug : console.log)(JSON.stringify({ at: clock().now().toISOString(), ...fields })),
    broker: broker.seatBroker,
  };
  return {
    ...deps, policies, maxConcurrentPools: cfg.maxConcurrentPools, poolTimeoutMs: cfg.poolTimeoutMs,
    maxConcurrentDrains: cfg.maxConcurrentDrains, drainTimeoutMs: cfg.drainTimeoutMs,
  };
}

let brokerService: BrokerService | undefined;
/** The connection broker, sharing autoscale's adapters (its evaluations write the pool view). */
export function brokerServiceOf(): BrokerService {
  brokerService ??= createBrokerService(autoscaleDepsFromConfig(config()), brokerPartsFromConfig(config()).store);
  return brokerService;
}

let service: AutoscaleService | undefined;
export function autoscaleService(): AutoscaleService {
  service ??= createAutoscaleService(autoscaleDepsFromConfig(config()));
  return service;
}

function isIdle(fields: Record<string, unknown>): boolean {
  return fields.outcome === 'none' && (!Array.isArray(fields.warnings) || fields.warnings.length === 0);
}
