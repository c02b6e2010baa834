// Drain before scale-in (docs/drain.md): the metric decide() reads is a minute or more late, so a user placed on an idle
// VM just before its removal would be invisible to it. Each VM about to go is first drained on the VM itself (new
// sessions blocked, then counted there); only a VM that counted 0 of each kind goes, every other answer keeps it.
import { errorCodeOf } from './errors.js';
import { mapBounded } from './map-bounded.js';
import type { CallOptions, DrainResult, ScaleSet } from './scale-set.port.js';

/** Drains run in parallel; a pool has at most a few dozen VMs to remove at once. */
const PARALLEL_DRAINS = 10;

export interface KeptVm {
  instanceId: string;
  /** A sentence a person can read, e.g. "VM 3 had 1 ssh session the metric had not shown yet". */
  reason: string;
}

export interface DrainOutcome {
  /** Drained VMs that counted no session: safe to remove. */
  removable: string[];
  /** VMs kept (and undrained, best effort), with why. */
  kept: KeptVm[];
  /** Kept VMs whose undrain failed, with the error code; the next evaluation tries again (and the VM's own timer lifts it). */
  undrainErrors: { instanceId: string; code: string }[];
}

export async function drainForRemoval(scaleSet: ScaleSet, instanceIds: readonly string[], options: CallOptions): Promise<DrainOutcome> {
  const answers = await mapBounded(instanceIds, PARALLEL_DRAINS, async (id) => {
    try {
      return { id, result: await scaleSet.drain(id, options) };
    } catch (e) {
      return { id, error: errorCodeOf(e) };
    }
  });
  const outcome: DrainOutcome = { removable: [], kept: [], undrainErrors: [] };
  for (const a of answers) {
    const why = a.result ? keepReason(a.result) : `could not be drained (${a.error})`;
    if (why === undefined) outcome.removable.push(a.id);
    else outcome.kept.push({ instanceId: a.id, reason: `VM ${a.id} ${why}` });
  }
  await mapBounded(outcome.kept, PARALLEL_DRAINS, async (k) => {
    try {
      await scaleSet.undrain(k.instanceId, options);
    } catch (e) {
      outcome.undrainErrors.push({ instanceId: k.instanceId, code: errorCodeOf(e) });
    }
  });
  return outcome;
}

/** Why a drain answer keeps its VM, or undefined when it counted no session of either kind. */
function keepReason(result: DrainResult): string | undefined {
  if (!result.ok) return `gave no readable drain answer (${result.error})`;
  const { ssh, jupyter, unknown } = result.counts;
  const open = [plural(ssh, 'ssh session'), plural(jupyter, 'Jupyter session')].filter((s) => s !== '');
  if (open.length > 0) return `had ${open.join(' and ')} the metric had not shown yet`;
  if (unknown.length > 0) return `could not count its ${unknown.join(' and ')} sessions`;
  return undefined;
}

function plural(n: number, what: string): string {
  return n === 0 ? '' : `${n} ${what}${n === 1 ? '' : 's'}`;
}
