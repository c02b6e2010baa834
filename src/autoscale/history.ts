// Rebuilds the ScaleHistory decide() needs from recent scale events (newest first).
import type { ScaleHistory } from './observation.js';
import type { VmssPolicy } from './policy.js';
import type { ScaleEvent } from './scale-event.js';

/** How far back the log must be read for this policy's cooldowns and wake hold. */
export function historyMinutes(policy: VmssPolicy): number {
  return Math.max(policy.scaleOutCooldownMinutes, policy.scaleInCooldownMinutes, policy.wakeHoldMinutes) + 1;
}

export function historyFrom(events: readonly ScaleEvent[]): ScaleHistory {
  const newest = (pick: (e: ScaleEvent) => boolean) =>
    events.filter(pick).reduce<Date | undefined>((t, e) => (t === undefined || e.at > t ? e.at : t), undefined);
  return {
    lastScaleOutAt: newest((e) => e.kind === 'evaluation' && e.actedOut),
    lastScaleInAt: newest((e) => e.kind === 'evaluation' && e.actedIn),
    lastWakeAt: newest((e) => e.kind === 'wake'),
  };
}
