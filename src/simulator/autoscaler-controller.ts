// Our autoscaler in the replay: every minute it observes the pool the way the observe step does (instances,
// protection, sessions per instance over the metric window), calls the SAME decide() the timer calls, and carries
// the plan out on the pool. A user who finds no running VM opens the bookmarked /connect link, which wakes the
// pool at once (an evaluation with a pending wake request), as the product does.
import { decide } from '../autoscale/decide.js';
import type { PoolObservation, ScaleHistory } from '../autoscale/observation.js';
import { METRIC_WINDOW_MARGIN_MINUTES } from '../autoscale/observe.js';
import type { VmssPolicy } from '../autoscale/policy.js';
import type { ScalePlan } from '../autoscale/scale-plan.js';
import type { Controller } from './controller.js';
import { SessionSampleLog } from './session-sample-log.js';
import type { VmPoolPort } from './vm-pool.port.js';

const MINUTE = 60_000;

export interface AutoscalerRun {
  /** Every plan that acted, for inspection in tests. */
  plans: { at: number; plan: ScalePlan }[];
  evaluations: number;
}

export class AutoscalerController implements Controller {
  readonly name: string;
  readonly run: AutoscalerRun = { plans: [], evaluations: 0 };
  private readonly samples: SessionSampleLog;
  private readonly history: ScaleHistory = {};
  private readonly windowMs: number;
  private readonly poolName: string;
  /** Azure Monitor shows a custom metric a minute or more after it is posted; 0 = at once, as the emulator does. */
  private readonly metricDelayMs: number;

  constructor(
    private readonly policy: VmssPolicy,
    options: { name?: string; poolName?: string; metricDelaySeconds?: number } = {},
  ) {
    this.name = options.name ?? 'dsvm-pool';
    // The same window the observe step reads: the idle window plus its margin.
    this.windowMs = (policy.idleMinutesBeforeScaleIn + METRIC_WINDOW_MARGIN_MINUTES) * MINUTE;
    this.samples = new SessionSampleLog(this.windowMs);
    this.poolName = options.poolName ?? 'simulated';
    this.metricDelayMs = (options.metricDelaySeconds ?? 0) * 1000;
  }

  tick(now: number, pool: VmPoolPort): void {
    this.samples.record(now, pool.instances());
    this.evaluate(now, pool);
  }

  userWithoutVm(now: number, pool: VmPoolPort): void {
    this.history.lastWakeAt = new Date(now);
    this.evaluate(now, pool);
  }

  observe(now: number, pool: VmPoolPort): PoolObservation {
    return {
      pool: this.poolName,
      capacity: pool.capacity(),
      provisioningState: 'Succeeded',
      instances: pool.instances().map((i) => ({
        instanceId: i.instanceId,
        state: i.state,
        protectFromScaleIn: i.protectFromScaleIn,
        sessions: this.samples.read(i.instanceId, now, this.windowMs, this.metricDelayMs),
      })),
    };
  }

  private evaluate(now: number, pool: VmPoolPort): void {
    // The timer skips a disabled pool altogether.
    if (!this.policy.enabled) return;
    this.run.evaluations++;
    const plan = decide(this.policy, this.observe(now, pool), new Date(now), this.history);
    if (this.policy.dryRun) return;
    this.apply(plan, pool);
    const scaledOut = plan.start.length > 0 || plan.newCapacity !== undefined;
    const scaledIn = plan.deallocate.length > 0 || plan.delete.length > 0;
    if (scaledOut) this.history.lastScaleOutAt = new Date(now);
    if (scaledIn) this.history.lastScaleInAt = new Date(now);
    if (scaledOut || scaledIn) this.run.plans.push({ at: now, plan });
  }

  /** Carries a plan out in the act step's order (src/autoscale/act.ts): start, capacity, deallocate, delete, protection. */
  private apply(plan: ScalePlan, pool: VmPoolPort): void {
    if (plan.start.length > 0) pool.start(plan.start);
    if (plan.newCapacity !== undefined) pool.setCapacity(plan.newCapacity);
    if (plan.deallocate.length > 0) pool.deallocate(plan.deallocate);
    if (plan.delete.length > 0) pool.delete(plan.delete);
    if (plan.protect.length > 0) pool.setProtection(plan.protect, true);
    if (plan.unprotect.length > 0) pool.setProtection(plan.unprotect, false);
  }
}
