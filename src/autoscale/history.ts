// Rebuilds the ScaleHistory decide() needs from recent scale events (newest first).
import { DRAIN_MINUTES } from './drain-contract.js';
import type { ScaleHistory } from './observation.js';
import type { VmssPolicy } from './policy.js';
import type { ScaleEvent } from './scale-event.js';

/** How far back the log must be read for this policy's cooldowns and wake hold. */
export function historyMinutes(policy: VmssPolicy): number {
  // A drain lifts itself after DRAIN_MINUTES, so VMs left drained matter that long.
  return Math.max(policy.scaleOutCooldownMinutes, policy.scaleInCooldownMinutes, policy.wakeHoldMinutes, DRAIN_MINUTES) + 1;
}

export function historyFrom(events: readonly ScaleEvent[]): ScaleHistory {
  const evaluations = events.filter((e) => e.kind === 'evaluation').sort((a, b) => b.at.getTime() - a.at.getTime());
  const newest = (pick: (e: ScaleEvent) => boolean) =>
    events.filter(pick).reduce<Date | undefined>((t, e) => (t === undefined || e.at > t ? e.at : t), undefined);
  return {
    lastScaleOutAt: newest((e) => e.kind === 'evaluation' && e.actedOut),
    lastScaleInAt: newest((e) => e.kind === 'evaluation' && e.actedIn),
    lastWakeAt: newest((e) => e.kind === 'wake'),
    leftDrained: evaluations.find((e) => e.drained !== undefined)?.drained,
    pending: evaluations[0]?.pending,
  };
}
