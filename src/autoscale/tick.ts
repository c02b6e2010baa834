// One run of the autoscale timer: every enabled vmss pool, concurrently up to a bound, each under its own timeout,
// so a slow or failing pool neither delays nor breaks the others. Drains have their own bound across pools: a pool
// waiting on Run Command gives its slot to the next pool. Invalid rows are reported and skipped.
import { kindOf } from '../policies/table-cells.js';
import { AutoscaleError, type FieldProblem } from './errors.js';
import type { DrainLimits } from './drain.js';
import { evaluatePool, type AutoscaleDeps, type EvaluateOptions, type EvaluationResult } from './evaluate-pool.js';
import { SlotLimiter } from './slot-limiter.js';
import { withinPoolTimeout } from './within-pool-timeout.js';
import { parseVmssPolicy, type VmssPolicy } from './policy.js';
import type { PolicyStore } from './policy-store.port.js';
import { isRepeat } from './repeated-event.js';
import type { ScaleEvent } from './scale-event.js';
import { poolsSharingTarget, sharedTargetReason } from './shared-targets.js';

export interface TickDeps extends AutoscaleDeps {
  policies: PolicyStore;
  maxConcurrentPools: number;
  poolTimeoutMs: number;
  /** Drains (Run Command) in flight at once across all pools; a pool waiting on drains gives up its pool slot. */
  maxConcurrentDrains?: number;
  /** Each drain's own timeout. */
  drainTimeoutMs?: number;
}

export interface TickSummary {
  evaluated: EvaluationResult[];
  invalid: { pool: string; problems: FieldProblem[] }[];
  disabled: string[];
}

export async function runTick(deps: TickDeps): Promise<TickSummary> {
  const rows = await deps.policies.list();
  const summary: TickSummary = { evaluated: [], invalid: [], disabled: [] };
  let pools: { pool: string; policy: VmssPolicy }[] = [];
  for (const row of rows) {
    if (kindOf(row.fields) === 'batch') continue; // the job service's pools
    const parsed = parseVmssPolicy(row.fields);
    if (!parsed.ok) summary.invalid.push({ pool: row.pool, problems: parsed.problems });
    else if (!parsed.value.enabled) summary.disabled.push(row.pool);
    else pools.push({ pool: row.pool, policy: parsed.value });
  }
  for (const [pool, keeper] of poolsSharingTarget(pools)) {
    summary.invalid.push({ pool, problems: [{ field: 'target', reason: sharedTargetReason(keeper) }] });
  }
  const skipped = new Set(summary.invalid.map((i) => i.pool));
  pools = pools.filter((p) => !skipped.has(p.pool));
  await Promise.all(summary.invalid.map((i) => reportInvalid(deps, i.pool, i.problems).catch((e) => deps.log({ event: 'autoscale.record-failed', pool: i.pool, error: String(e) }))));
  const poolSlots = new SlotLimiter(deps.maxConcurrentPools);
  const drainLimits: DrainLimits = { limiter: new SlotLimiter(deps.maxConcurrentDrains ?? deps.maxConcurrentPools), timeoutMs: deps.drainTimeoutMs };
  summary.evaluated = await Promise.all(pools.map((p) => poolSlots.run((outside) => evaluateWithTimeout(deps, p.pool, p.policy, { trigger: 'timer', drainLimits, outside }))));
  return summary;
}

/**
 * One pool's evaluation, abandoned after `deps.poolTimeoutMs` (its Azure calls aborted, its lease released): a failed
 * result with EVALUATION_TIMEOUT (or the error it failed with), recorded as one event, never a throw. Used by the timer
 * and by the evaluations a request triggers (wake, connect), so a slow Azure never holds a caller or the pool's lease
 * longer than DSVMPOOL_POOL_TIMEOUT_SECONDS.
 */
export async function evaluateWithTimeout(
  deps: AutoscaleDeps & { poolTimeoutMs: number },
  pool: string,
  policy: VmssPolicy,
  shared: Omit<EvaluateOptions, 'abortSignal'>,
): Promise<EvaluationResult> {
  const trigger = shared.trigger;
  try {
    return await withinPoolTimeout(deps.poolTimeoutMs, 'evaluation', (abortSignal) => evaluatePool(deps, pool, policy, { ...shared, trigger, abortSignal }));
  } catch (e) {
    const error = { code: e instanceof AutoscaleError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
    const event: ScaleEvent = {
      pool, at: deps.now(), kind: 'evaluation', trigger, outcome: 'failed', direction: 'none',
      reason: `evaluation failed: ${error.message}`, actedOut: false, actedIn: false, error, durationMs: deps.poolTimeoutMs,
    };
    deps.log({ event: 'autoscale.evaluation', pool, trigger, outcome: 'failed', error });
    const newest = (await deps.events.page(pool, { top: 1 }).catch(() => ({ events: [] }))).events[0];
    if (!isRepeat(event, newest)) await deps.events.append(event).catch(() => undefined);
    return { pool, outcome: 'failed', event };
  }
}

/** Records a policy-invalid event, unless the newest event already says the same (one per change, not per tick). */
async function reportInvalid(deps: TickDeps, pool: string, problems: FieldProblem[]): Promise<void> {
  const reason = `policy row is invalid, pool skipped: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`;
  const newest = (await deps.events.page(pool, { top: 1 })).events[0];
  deps.log({ event: 'autoscale.policy-invalid', pool, problems });
  if (newest?.kind === 'policy-invalid' && newest.reason === reason) return;
  await deps.events.append({
    pool, at: deps.now(), kind: 'policy-invalid', trigger: 'timer', outcome: 'skipped', direction: 'none', reason, problems,
    actedOut: false, actedIn: false, durationMs: 0,
  });
}
