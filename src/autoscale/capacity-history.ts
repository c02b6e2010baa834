// How many VMs a pool had, over time, rebuilt from the scale-event log: each event records what it observed and,
// when it acted, what it changed. Between events nothing changed (an evaluation that would change something writes
// an event), so the history is a step function. Pure: the dashboard's timeline and money views read it.
import { COMING_OR_RUNNING, type InstanceState } from './observation.js';
import type { ScaleEvent } from './scale-event.js';

/** One step: from `at` on, `activeVms` were running or coming up and `billedVms` were allocated (billed for compute). */
export interface CapacityStep {
  at: Date;
  activeVms: number;
  billedVms: number;
}

/** States in which Azure bills a VM for compute: everything allocated. Deallocated VMs pay only for their disk. */
const NOT_BILLED: ReadonlySet<string> = new Set(['deallocated', 'deleting', 'unknown']);

/** Counts in an event's compact observation, e.g. ["0 running 2/3 protected", "1 deallocated"]. */
export function countsOf(observed: NonNullable<ScaleEvent['observed']>): { activeVms: number; billedVms: number } {
  let activeVms = 0;
  let billedVms = 0;
  for (const line of observed.instances) {
    const state = line.split(' ')[1] ?? 'unknown';
    if (COMING_OR_RUNNING.has(state as InstanceState)) activeVms++;
    if (!NOT_BILLED.has(state)) billedVms++;
  }
  return { activeVms, billedVms };
}

/** The counts right after an event: the observation, plus what the event's steps changed when it took effect. */
export function countsAfter(event: ScaleEvent): { activeVms: number; billedVms: number } | undefined {
  if (!event.observed) return undefined;
  const seen = countsOf(event.observed);
  if (event.outcome !== 'done' || !event.plan) return seen;
  const p = event.plan;
  const created = p.newCapacity !== undefined ? Math.max(0, p.newCapacity - event.observed.capacity) : 0;
  const added = p.start.length + created;
  const removed = p.deallocate.length + p.delete.length;
  return {
    activeVms: Math.max(0, seen.activeVms + added - removed),
    billedVms: Math.max(0, seen.billedVms + added - removed),
  };
}

/**
 * The step function over [from, to] from events in any order. Before the first event in the window the pool had
 * what that event observed; `current` (the pool as seen now) closes the history when given. Consecutive equal
 * steps are merged.
 */
export function capacitySteps(events: readonly ScaleEvent[], from: Date, to: Date, current?: { activeVms: number; billedVms: number }): CapacityStep[] {
  const ordered = events.filter((e) => e.observed && e.at >= from && e.at <= to).sort((a, b) => a.at.getTime() - b.at.getTime());
  const steps: CapacityStep[] = [];
  // A step that changes nothing is left out: the one before it holds.
  const push = (s: CapacityStep) => {
    const last = steps.at(-1);
    if (!last || last.activeVms !== s.activeVms || last.billedVms !== s.billedVms) steps.push(s);
  };
  const first = ordered[0];
  if (first) push({ at: from, ...countsOf(first.observed!) });
  else if (current) push({ at: from, ...current });
  for (const e of ordered) push({ at: e.at, ...countsAfter(e)! });
  if (current) push({ at: to, ...current });
  return steps;
}

/** VM-hours billed over [from, to] under the step function (the last step holds until `to`). */
export function billedVmHours(steps: readonly CapacityStep[], from: Date, to: Date): number {
  let ms = 0;
  for (let i = 0; i < steps.length; i++) {
    const start = Math.max(steps[i]!.at.getTime(), from.getTime());
    const end = Math.min(steps[i + 1]?.at.getTime() ?? to.getTime(), to.getTime());
    if (end > start) ms += (end - start) * steps[i]!.billedVms;
  }
  return ms / 3_600_000;
}

/** The most VMs billed at once within [from, to]. */
export function peakBilledVms(steps: readonly CapacityStep[], from: Date, to: Date): number {
  let peak = 0;
  for (let i = 0; i < steps.length; i++) {
    const end = steps[i + 1]?.at.getTime() ?? to.getTime();
    if (end > from.getTime() && steps[i]!.at.getTime() <= to.getTime()) peak = Math.max(peak, steps[i]!.billedVms);
  }
  return peak;
}
