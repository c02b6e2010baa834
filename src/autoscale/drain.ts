// Drain before scale-in (docs/drain.md): the metric decide() reads is a minute or more late, so a user placed on an idle
// VM just before its removal would be invisible to it. Each VM about to go is first drained on the VM itself (new
// sessions blocked, then counted there); only a VM that counted 0 of each kind goes, every other answer keeps it.
import { errorCodeOf } from './errors.js';
import { mapBounded } from './map-bounded.js';
import type { CallOptions, DrainResult, ScaleSet } from './scale-set.port.js';
import type { SlotLimiter } from './slot-limiter.js';

/** Drains of one pool run in parallel up to this; a pool has at most a few dozen VMs to remove at once. */
const PARALLEL_DRAINS = 10;

/** How drains share the app: a limiter over every pool's drains in a tick, and a timeout for each Run Command. */
export interface DrainLimits {
  /** Bounds drains (and undrains) across all pools; independent of how many pools are evaluated at once. */
  limiter?: SlotLimiter;
  /** Each drain or undrain is abandoned after this long (the VM is then kept, or its undrain retried). */
  timeoutMs?: number;
}

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

/** Runs one Run Command call under the shared limit and its own timeout. */
export function limitedRunCommand<T>(limits: DrainLimits, options: CallOptions, call: (o: CallOptions) => Promise<T>): Promise<T> {
  const one = () => {
    const signals = [options.abortSignal, limits.timeoutMs ? AbortSignal.timeout(limits.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    return call({ ...options, abortSignal: signals.length ? AbortSignal.any(signals) : undefined });
  };
  return limits.limiter ? limits.limiter.run(one) : one();
}

export async function drainForRemoval(scaleSet: ScaleSet, instanceIds: readonly string[], options: CallOptions, limits: DrainLimits = {}): Promise<DrainOutcome> {
  const answers = await mapBounded(instanceIds, PARALLEL_DRAINS, async (id) => {
    try {
      return { id, result: await limitedRunCommand(limits, options, (o) => scaleSet.drain(id, o)) };
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
      await limitedRunCommand(limits, options, (o) => scaleSet.undrain(k.instanceId, o));
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
