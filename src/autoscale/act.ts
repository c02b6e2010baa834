// The act step: carries out a plan on the scale set, one operation at a time (a scale set accepts one at a time),
// scale-out first. An operation on VMs (start, capacity, deallocate, delete) returns once Azure accepted it: in Azure
// it ends only when the VMs reach their new state (minutes), and waiting for that would hold the tick's pool slot;
// the step reads "(still running)" and the next evaluation observes how it ended (earlier-operations.ts). It stops at the first failure; the next evaluation observes again and plans from what is there,
// and since every action names instance ids or an absolute capacity, nothing is ever done twice.
import { drainForRemoval, limitedRunCommand, type DrainLimits, type KeptVm } from './drain.js';
import { errorCodeOf } from './errors.js';
import type { ScalePlan } from './scale-plan.js';
import type { CallOptions, ScaleSet } from './scale-set.port.js';
import type { StepOutside } from './slot-limiter.js';

export interface ActResult {
  steps: string[];
  actedOut: boolean;
  actedIn: boolean;
  /** VMs the plan would have removed that their drain kept. */
  kept?: KeptVm[];
  error?: { code: string; message: string; step: string };
  /** Steps Azure accepted that were still running when the act step returned, e.g. "deallocate 0,1". */
  pending?: string[];
  /**
   * VMs this evaluation drained that are still drained: their removal did not (yet) take effect, or their undrain
   * failed. Recorded on the event; the next evaluation undrains those it still finds running and does not remove.
   */
  drained?: string[];
}

export interface ActOptions extends CallOptions {
  /** Running VMs of the plan's removals to drain first (docs/drain.md); omitted when the policy turns draining off. */
  drain?: readonly string[];
  /** Running VMs an earlier evaluation left drained that this plan does not remove: undrain them first. */
  undrain?: readonly string[];
  /** The shared drain limit and per-drain timeout (the timer's); without it drains are bounded per pool only. */
  drainLimits?: DrainLimits;
  /** Steps out of the caller's pool slot while drains run (they wait on VMs, not on the pool's ARM calls). */
  outside?: StepOutside;
}

/** Removal failures after which the VM surely stays: only an operation still running (or abandoned) may yet remove it. */
const REMOVAL_MAY_STILL_HAPPEN = new Set(['ARM_LRO_PENDING', 'ARM_TIMEOUT']);

interface Step {
  name: string;
  direction?: 'out' | 'in';
  run: () => Promise<void>;
}

export async function actOn(scaleSet: ScaleSet, plan: ScalePlan, options: ActOptions): Promise<ActResult> {
  const result: ActResult = { steps: [], actedOut: false, actedIn: false };
  const { drain, undrain, drainLimits = {}, outside = (inner) => inner(), ...callOptions } = options;
  // Operations on VMs return once accepted; protection (a model change, seconds) waits, bounded, as before.
  const vmOptions: CallOptions = { ...callOptions, lroWaitMs: 0 };
  if (undrain?.length) await outside(() => undrainLeftOver(scaleSet, undrain, callOptions, drainLimits, result));
  const out: Step[] = [];
  if (plan.start.length) out.push({ name: `start ${plan.start.join(',')}`, direction: 'out', run: () => scaleSet.start(plan.start, vmOptions) });
  const capacity = plan.newCapacity;
  if (capacity !== undefined) out.push({ name: `setCapacity ${capacity}`, direction: 'out', run: () => scaleSet.setCapacity(capacity, vmOptions) });
  if (!(await runSteps(out, result))) return result;

  let { deallocate, delete: remove } = plan;
  let drainedForRemoval: string[] = [];
  if (drain && drain.length > 0) {
    const drained = await outside(() => drainForRemoval(scaleSet, drain, callOptions, drainLimits));
    const kept = new Set(drained.kept.map((k) => k.instanceId));
    deallocate = deallocate.filter((id) => !kept.has(id));
    remove = remove.filter((id) => !kept.has(id));
    drainedForRemoval = drained.removable;
    result.steps.push(`drain ${drain.join(',')}${kept.size ? ` (kept ${[...kept].join(',')})` : ''}`);
    if (drained.undrainErrors.length) {
      result.steps.push(`undrain failed for ${drained.undrainErrors.map((u) => `${u.instanceId} (${u.code})`).join(', ')}; the next evaluation tries again`);
      result.drained = drained.undrainErrors.map((u) => u.instanceId);
    }
    if (drained.kept.length) result.kept = drained.kept;
  }
  const removals: Step[] = [];
  if (deallocate.length) removals.push({ name: `deallocate ${deallocate.join(',')}`, direction: 'in', run: () => scaleSet.deallocate(deallocate, vmOptions) });
  if (remove.length) removals.push({ name: `delete ${remove.join(',')}`, direction: 'in', run: () => scaleSet.delete(remove, vmOptions) });
  const removed = await runSteps(removals, result);
  if (!removed && drainedForRemoval.length) await outside(() => afterFailedRemoval(scaleSet, drainedForRemoval, callOptions, drainLimits, result));
  if (!removed) return result;
  const rest: Step[] = [];
  for (const id of plan.protect) rest.push({ name: `protect ${id}`, run: () => scaleSet.setProtection(id, true, callOptions) });
  for (const id of plan.unprotect) rest.push({ name: `unprotect ${id}`, run: () => scaleSet.setProtection(id, false, callOptions) });
  await runSteps(rest, result);
  return result;
}

/**
 * A removal that failed leaves its drained VMs running but refusing new sessions, and /connect would keep sending
 * people there: undrain them now. When the removal may still take effect (still running, or abandoned mid-wait) the
 * VMs stay drained, and the next evaluation undrains whichever it then finds running and not being removed.
 */
async function afterFailedRemoval(scaleSet: ScaleSet, drained: string[], options: CallOptions, limits: DrainLimits, result: ActResult): Promise<void> {
  const pending = result.steps.some((s) => s.endsWith('(still running)'));
  if (pending || (result.error && REMOVAL_MAY_STILL_HAPPEN.has(result.error.code))) {
    result.drained = [...(result.drained ?? []), ...drained];
    return;
  }
  const failed: string[] = [];
  await Promise.all(
    drained.map(async (id) => {
      try {
        await limitedRunCommand(limits, options, (o) => scaleSet.undrain(id, o));
      } catch {
        failed.push(id);
      }
    }),
  );
  failed.sort((a, b) => drained.indexOf(a) - drained.indexOf(b));
  const lifted = drained.filter((id) => !failed.includes(id));
  if (lifted.length) result.steps.push(`undrain ${lifted.join(',')} (removal failed)`);
  if (failed.length) {
    result.steps.push(`undrain failed for ${failed.join(',')}; the next evaluation tries again`);
    result.drained = [...(result.drained ?? []), ...failed];
  }
}

/** Undrains VMs an earlier evaluation left drained; one that fails stays on the list for the next evaluation. */
async function undrainLeftOver(scaleSet: ScaleSet, ids: readonly string[], options: CallOptions, limits: DrainLimits, result: ActResult): Promise<void> {
  for (const id of ids) {
    try {
      await limitedRunCommand(limits, options, (o) => scaleSet.undrain(id, o));
      result.steps.push(`undrain ${id} (left drained by an earlier removal that did not happen)`);
    } catch (e) {
      result.steps.push(`undrain ${id} failed (${errorCodeOf(e)}); the next evaluation tries again`);
      result.drained = [...(result.drained ?? []), id];
    }
  }
}

/** Runs steps in order; false when one failed or is still running (the rest waits for the next evaluation). */
async function runSteps(steps: Step[], result: ActResult): Promise<boolean> {
  for (const step of steps) {
    try {
      await step.run();
    } catch (e) {
      const code = errorCodeOf(e);
      // Accepted but still running: it will take effect, and the scale set takes one operation at a time, so the
      // rest waits for the next evaluation, which plans again from what it then observes.
      if (code === 'ARM_LRO_PENDING') {
        result.steps.push(`${step.name} (still running)`);
        result.pending = [...(result.pending ?? []), step.name];
        markActed(result, step.direction);
        return false;
      }
      result.error = { code, message: e instanceof Error ? e.message : String(e), step: step.name };
      // An abandoned wait may still have changed the scale set; count it so cooldowns stay conservative.
      if (code === 'ARM_TIMEOUT') markActed(result, step.direction);
      return false;
    }
    result.steps.push(step.name);
    markActed(result, step.direction);
  }
  return true;
}

function markActed(result: ActResult, direction: 'out' | 'in' | undefined): void {
  if (direction === 'out') result.actedOut = true;
  if (direction === 'in') result.actedIn = true;
}
