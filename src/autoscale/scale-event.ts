// One row of the `scaleevents` audit log: what was seen, what was decided and why, and what came of it.
import type { FieldProblem } from './errors.js';
import type { PoolObservation } from './observation.js';
import type { ScaleDirection, ScalePlan } from './scale-plan.js';

export type ScaleEventKind = 'evaluation' | 'wake' | 'policy-invalid';
export type ScaleTrigger = 'timer' | 'wake' | 'connect';
/** done: every action succeeded; dry-run: planned, nothing changed; failed: an action or the observation failed. */
export type ScaleOutcome = 'done' | 'dry-run' | 'failed' | 'requested' | 'skipped';

export interface ScaleEvent {
  pool: string;
  at: Date;
  kind: ScaleEventKind;
  trigger: ScaleTrigger;
  outcome: ScaleOutcome;
  direction: ScaleDirection;
  reason: string;
  /** Compact observation, e.g. ["0 running 2/3 protected", "1 deallocated"]. */
  observed?: { capacity: number; provisioningState: string; instances: string[] };
  plan?: Pick<ScalePlan, 'start' | 'newCapacity' | 'deallocate' | 'delete' | 'protect' | 'unprotect' | 'targetActive' | 'figures' | 'warnings'>;
  /** What actually took effect (or would have, in a dry run); cooldowns are judged from these. */
  actedOut: boolean;
  actedIn: boolean;
  /** Steps carried out, in order, e.g. ["start 3", "setCapacity 4"]. */
  steps?: string[];
  error?: { code: string; message: string; step?: string };
  /**
   * VMs left drained after this evaluation (a removal that failed or may still be running, an undrain that failed);
   * set when it or the previous value is non-empty. The next evaluation undrains those it finds running and keeps.
   */
  drained?: string[];
  /**
   * Operations Azure accepted that were still running when this evaluation ended (each step also reads
   * "… (still running)"), or carried from an earlier evaluation while the scale set stays busy. The next evaluation
   * that finds the scale set idle says in `settled` how each ended.
   */
  pending?: string[];
  /** How operations an earlier evaluation left running ended, as this evaluation observed, e.g. "deallocate 3: VM 3 deallocated". */
  settled?: string[];
  problems?: FieldProblem[];
  durationMs: number;
  /** Who asked, for wake events. */
  requestedBy?: string;
}

const MAX_LISTED_INSTANCES = 200;

export function summarize(o: PoolObservation): NonNullable<ScaleEvent['observed']> {
  const instances = o.instances.slice(0, MAX_LISTED_INSTANCES).map((i) => {
    const s = i.sessions.hasData ? ` ${i.sessions.latest}/${i.sessions.maxInWindow}` : ' no-data';
    return `${i.instanceId} ${i.state}${i.state === 'running' ? s : ''}${i.protectFromScaleIn ? ' protected' : ''}`;
  });
  if (o.instances.length > MAX_LISTED_INSTANCES) instances.push(`… ${o.instances.length - MAX_LISTED_INSTANCES} more`);
  return { capacity: o.capacity, provisioningState: o.provisioningState, instances };
}
