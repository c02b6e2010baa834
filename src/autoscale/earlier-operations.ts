// Operations an earlier evaluation left running: every VM operation returns once Azure accepted it (in Azure it ends
// only when the VMs reach their new state, minutes later), so the next evaluation observes how it ended. While the
// scale set is still busy they stay pending and their drained VMs stay drained; once it is not, each operation is
// judged from the VMs' states, and a removal that did not take effect hands its drained VMs back to be undrained.
import type { InstanceState, PoolObservation } from './observation.js';
import { isBusyScaleSet } from './scale-set-busy.js';

/** Instance states on the way out: a removal accepted earlier is still taking effect. */
const LEAVING: ReadonlySet<InstanceState> = new Set(['deallocating', 'deleting', 'stopping']);

export interface EarlierOperations {
  /** Operations still running (the scale set is busy): carried on this evaluation's event as `pending`. */
  pending: string[];
  /** How the operations that are no longer running ended, as observed now, e.g. "deallocate 3: VM 3 deallocated". */
  settled: string[];
  /** VMs left drained whose removal may still take effect: they stay drained and on the list. */
  stillDrained: string[];
  /** VMs left drained whose removal is over (they run, or are gone): undrain those running that the plan keeps. */
  settledDrained: string[];
}

/**
 * Sorts what the newest evaluation left (its `pending` operations, e.g. "deallocate 0,1", and `drained` VMs) by
 * what the pool shows now. Pure: the observation is the only source of truth about how an operation ended.
 */
export function earlierOperations(pending: readonly string[] | undefined, leftDrained: readonly string[] | undefined, observation: PoolObservation): EarlierOperations {
  const busy = isBusyScaleSet(observation.provisioningState);
  const stateOf = new Map(observation.instances.map((i) => [i.instanceId, i.state]));
  const stillDrained = (leftDrained ?? []).filter((id) => busy || LEAVING.has(stateOf.get(id) ?? 'unknown'));
  return {
    pending: busy ? [...(pending ?? [])] : [],
    settled: busy ? [] : (pending ?? []).map((op) => outcomeOf(op, observation, stateOf)),
    stillDrained,
    settledDrained: (leftDrained ?? []).filter((id) => !stillDrained.includes(id)),
  };
}

/** "deallocate 0,1: VM 0 deallocated, VM 1 running (did not take effect)"; "setCapacity 3: capacity 3". */
function outcomeOf(op: string, observation: PoolObservation, stateOf: ReadonlyMap<string, InstanceState>): string {
  const capacity = /^setCapacity (\d+)$/.exec(op);
  if (capacity) {
    const wanted = Number(capacity[1]);
    return `${op}: capacity ${observation.capacity}${observation.capacity === wanted ? '' : ' (did not take effect)'}`;
  }
  const named = /^(deallocate|delete|start) (\S+)$/.exec(op);
  if (!named) return `${op}: no longer running`;
  const reached: Record<string, (s: InstanceState | undefined) => boolean> = {
    deallocate: (s) => s === undefined || s === 'deallocated',
    delete: (s) => s === undefined,
    start: (s) => s === 'running' || s === 'starting',
  };
  const parts = named[2]!.split(',').map((id) => {
    const state = stateOf.get(id);
    return `VM ${id} ${state ?? 'gone'}${reached[named[1]!]!(state) ? '' : ' (did not take effect)'}`;
  });
  return `${op}: ${parts.join(', ')}`;
}

/**
 * A start or capacity change an earlier evaluation left running that did not take effect (Azure accepted it, then it
 * failed, e.g. AllocationFailed): the evaluation that finds it records it as its error, so the event says `failed`, the
 * broker's view carries it and the connect page says plainly that starting failed. Undefined when none failed.
 */
export function failedGrowth(settled: readonly string[] | undefined): { code: 'ARM_LRO_FAILED'; message: string; step: string } | undefined {
  const line = settled?.find((l) => /^(start|setCapacity) /.test(l) && l.includes('(did not take effect)'));
  if (!line) return undefined;
  return { code: 'ARM_LRO_FAILED', message: `Azure accepted ${line.split(':')[0]} and it did not take effect (${line.slice(line.indexOf(':') + 2)}); see the scale set's activity log for Azure's reason`, step: line.split(':')[0]! };
}
