// The act step: carries out a plan on the scale set, one operation at a time (a scale set accepts one at a time),
// scale-out first. It stops at the first failure; the next evaluation observes again and plans from what is there,
// and since every action names instance ids or an absolute capacity, nothing is ever done twice.
import { drainForRemoval, type KeptVm } from './drain.js';
import { errorCodeOf } from './errors.js';
import type { ScalePlan } from './scale-plan.js';
import type { CallOptions, ScaleSet } from './scale-set.port.js';

export interface ActResult {
  steps: string[];
  actedOut: boolean;
  actedIn: boolean;
  /** VMs the plan would have removed that their drain kept. */
  kept?: KeptVm[];
  error?: { code: string; message: string; step: string };
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
  const { drain, undrain, ...callOptions } = options;
  if (undrain?.length) await undrainLeftOver(scaleSet, undrain, callOptions, result);
  const out: Step[] = [];
  if (plan.start.length) out.push({ name: `start ${plan.start.join(',')}`, direction: 'out', run: () => scaleSet.start(plan.start, callOptions) });
  const capacity = plan.newCapacity;
  if (capacity !== undefined) out.push({ name: `setCapacity ${capacity}`, direction: 'out', run: () => scaleSet.setCapacity(capacity, callOptions) });
  if (!(await runSteps(out, result))) return result;

  let { deallocate, delete: remove } = plan;
  let drainedForRemoval: string[] = [];
  if (drain && drain.length > 0) {
    const drained = await drainForRemoval(scaleSet, drain, callOptions);
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
  if (deallocate.length) removals.push({ name: `deallocate ${deallocate.join(',')}`, direction: 'in', run: () => scaleSet.deallocate(deallocate, callOptions) });
  if (remove.length) removals.push({ name: `delete ${remove.join(',')}`, direction: 'in', run: () => scaleSet.delete(remove, callOptions) });
  const removed = await runSteps(removals, result);
  if (!removed && drainedForRemoval.length) await afterFailedRemoval(scaleSet, drainedForRemoval, callOptions, result);
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
async function afterFailedRemoval(scaleSet: ScaleSet, drained: string[], options: ActOptions, result: ActResult): Promise<void> {
  const pending = result.steps.some((s) => s.endsWith('(still running)'));
  if (pending || (result.error && REMOVAL_MAY_STILL_HAPPEN.has(result.error.code))) {
    result.drained = [...(result.drained ?? []), ...drained];
    return;
  }
  const failed: string[] = [];
  for (const id of drained) {
    try {
      await scaleSet.undrain(id, options);
    } catch {
      failed.push(id);
    }
  }
  const lifted = drained.filter((id) => !failed.includes(id));
  if (lifted.length) result.steps.push(`undrain ${lifted.join(',')} (removal failed)`);
  if (failed.length) {
    result.steps.push(`undrain failed for ${failed.join(',')}; the next evaluation tries again`);
    result.drained = [...(result.drained ?? []), ...failed];
  }
}

/** Undrains VMs an earlier evaluation left drained; one that fails stays on the list for the next evaluation. */
async function undrainLeftOver(scaleSet: ScaleSet, ids: readonly string[], options: ActOptions, result: ActResult): Promise<void> {
  for (const id of ids) {
    try {
      await scaleSet.undrain(id, options);
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
