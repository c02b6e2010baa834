import { describe, expect, it } from 'vitest';
import { historyFrom, historyMinutes } from '../../../src/autoscale/history.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import { minutesBefore, NOW, policy } from './factories.js';

const event = (minutesAgo: number, o: Partial<ScaleEvent> = {}): ScaleEvent => ({
  pool: 'pool', at: minutesBefore(NOW, minutesAgo), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'none',
  reason: '', actedOut: false, actedIn: false, durationMs: 0, ...o,
});

describe('historyMinutes', () => {
  it('reads back the longest of the cooldowns, the wake hold and the 15-minute drain, plus one minute', () => {
    expect(historyMinutes(policy({ scaleOutCooldownMinutes: 2, scaleInCooldownMinutes: 10, wakeHoldMinutes: 1 }))).toBe(16);
    expect(historyMinutes(policy({ scaleOutCooldownMinutes: 40, scaleInCooldownMinutes: 10, wakeHoldMinutes: 1 }))).toBe(41);
    expect(historyMinutes(policy({ scaleOutCooldownMinutes: 2, scaleInCooldownMinutes: 50, wakeHoldMinutes: 1 }))).toBe(51);
    expect(historyMinutes(policy({ scaleOutCooldownMinutes: 2, scaleInCooldownMinutes: 10, wakeHoldMinutes: 60 }))).toBe(61);
  });
});

describe('historyFrom', () => {
  it('is empty without events', () => {
    expect(historyFrom([])).toEqual({ lastScaleOutAt: undefined, lastScaleInAt: undefined, lastWakeAt: undefined, leftDrained: undefined, pending: undefined });
  });

  it('takes the newest scale-out, scale-in and wake, whatever order the events come in', () => {
    const events = [
      event(9, { actedOut: true }),
      event(3, { actedOut: true }),
      event(7, { actedOut: true }),
      event(8, { actedIn: true }),
      event(2, { actedIn: true }),
      event(5, { actedIn: true }),
      event(6, { kind: 'wake', trigger: 'wake', outcome: 'requested' }),
      event(4, { kind: 'wake', trigger: 'wake', outcome: 'requested' }),
      event(1),
    ];
    expect(historyFrom(events)).toMatchObject({ lastScaleOutAt: minutesBefore(NOW, 3), lastScaleInAt: minutesBefore(NOW, 2), lastWakeAt: minutesBefore(NOW, 4) });
  });

  it('counts scale actions of evaluations only, and no evaluation as a wake', () => {
    const events = [
      event(1, { kind: 'wake', trigger: 'wake', outcome: 'requested', actedOut: true, actedIn: true }),
      event(2, { kind: 'policy-invalid', outcome: 'skipped', actedOut: true, actedIn: true }),
      event(3),
    ];
    expect(historyFrom(events)).toMatchObject({ lastScaleOutAt: undefined, lastScaleInAt: undefined, lastWakeAt: minutesBefore(NOW, 1) });
  });

  it('takes the VMs left drained and the pending operations from the newest evaluation that has them', () => {
    const events = [
      event(5, { drained: ['1'], pending: ['deallocate 1'] }),
      event(1, { kind: 'wake', trigger: 'wake', outcome: 'requested', drained: ['9'], pending: ['start 9'] }),
      event(2, { pending: ['start 3'] }),
      event(4, { drained: ['2'], pending: ['deallocate 2'] }),
      event(3),
    ];
    expect(historyFrom(events)).toMatchObject({ leftDrained: ['2'], pending: ['start 3'] });
  });

  it('keeps an empty drained list as the newest answer: nothing is left drained', () => {
    expect(historyFrom([event(2, { drained: ['4'] }), event(1, { drained: [] })]).leftDrained).toEqual([]);
  });
});
