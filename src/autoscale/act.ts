// The act step: carries out a plan on the scale set, one operation at a time (a scale set accepts one at a time),
// scale-out first. It stops at the first failure; the next evaluation observes again and plans from what is there,
// and since every action names instance ids or an absolute capacity, nothing is ever done twice.
import { errorCodeOf } from './errors.js';
import type { ScalePlan } from './scale-plan.js';
import type { CallOptions, ScaleSet } from './scale-set.port.js';

export interface ActResult {
  steps: string[];
  actedOut: boolean;
  actedIn: boolean;
  error?: { code: string; message: string; step: string };
}

export async function actOn(scaleSet: ScaleSet, plan: ScalePlan, options: CallOptions): Promise<ActResult> {
  const result: ActResult = { steps: [], actedOut: false, actedIn: false };
  const steps: { name: string; direction?: 'out' | 'in'; run: () => Promise<void> }[] = [];
  if (plan.start.length) steps.push({ name: `start ${plan.start.join(',')}`, direction: 'out', run: () => scaleSet.start(plan.start, options) });
  const capacity = plan.newCapacity;
  if (capacity !== undefined) steps.push({ name: `setCapacity ${capacity}`, direction: 'out', run: () => scaleSet.setCapacity(capacity, options) });
  if (plan.deallocate.length) steps.push({ name: `deallocate ${plan.deallocate.join(',')}`, direction: 'in', run: () => scaleSet.deallocate(plan.deallocate, options) });
  if (plan.delete.length) steps.push({ name: `delete ${plan.delete.join(',')}`, direction: 'in', run: () => scaleSet.delete(plan.delete, options) });
  for (const id of plan.protect) steps.push({ name: `protect ${id}`, run: () => scaleSet.setProtection(id, true, options) });
  for (const id of plan.unprotect) steps.push({ name: `unprotect ${id}`, run: () => scaleSet.setProtection(id, false, options) });

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
        return result;
      }
      result.error = { code, message: e instanceof Error ? e.message : String(e), step: step.name };
      // An abandoned wait may still have changed the scale set; count it so cooldowns stay conservative.
      if (code === 'ARM_TIMEOUT') markActed(result, step.direction);
      return result;
    }
    result.steps.push(step.name);
    markActed(result, step.direction);
  }
  return result;
}

function markActed(result: ActResult, direction: 'out' | 'in' | undefined): void {
  if (direction === 'out') result.actedOut = true;
  if (direction === 'in') result.actedIn = true;
}
