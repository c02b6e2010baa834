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
}

export interface ActOptions extends CallOptions {
  /** Running VMs of the plan's removals to drain first (docs/drain.md); omitted when the policy turns draining off. */
  drain?: readonly string[];
}

interface Step {
  name: string;
  direction?: 'out' | 'in';
  run: () => Promise<void>;
}

export async function actOn(scaleSet: ScaleSet, plan: ScalePlan, options: ActOptions): Promise<ActResult> {
  const result: ActResult = { steps: [], actedOut: false, actedIn: false };
  const { drain, ...callOptions } = options;
  const out: Step[] = [];
  if (plan.start.length) out.push({ name: `start ${plan.start.join(',')}`, direction: 'out', run: () => scaleSet.start(plan.start, callOptions) });
  const capacity = plan.newCapacity;
  if (capacity !== undefined) out.push({ name: `setCapacity ${capacity}`, direction: 'out', run: () => scaleSet.setCapacity(capacity, callOptions) });
  if (!(await runSteps(out, result))) return result;

  let { deallocate, delete: remove } = plan;
  if (drain && drain.length > 0) {
    const drained = await drainForRemoval(scaleSet, drain, callOptions);
    const kept = new Set(drained.kept.map((k) => k.instanceId));
    deallocate = deallocate.filter((id) => !kept.has(id));
    remove = remove.filter((id) => !kept.has(id));
    result.steps.push(`drain ${drain.join(',')}${kept.size ? ` (kept ${[...kept].join(',')})` : ''}`);
    if (drained.undrainErrors.length) result.steps.push(`undrain failed for ${drained.undrainErrors.join(', ')}; the VM lifts its drain itself`);
    if (drained.kept.length) result.kept = drained.kept;
  }
  const rest: Step[] = [];
  if (deallocate.length) rest.push({ name: `deallocate ${deallocate.join(',')}`, direction: 'in', run: () => scaleSet.deallocate(deallocate, callOptions) });
  if (remove.length) rest.push({ name: `delete ${remove.join(',')}`, direction: 'in', run: () => scaleSet.delete(remove, callOptions) });
  for (const id of plan.protect) rest.push({ name: `protect ${id}`, run: () => scaleSet.setProtection(id, true, callOptions) });
  for (const id of plan.unprotect) rest.push({ name: `unprotect ${id}`, run: () => scaleSet.setProtection(id, false, callOptions) });
  await runSteps(rest, result);
  return result;
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
