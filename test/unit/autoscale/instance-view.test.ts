// How one observed VM is read: known or unknown sessions, idle minutes, idle for the whole window, busy; and when a
// VM with unknown sessions counts as full.
import { describe, expect, it } from 'vitest';
import { byInstanceId, unknownIsFull, viewOf } from '../../../src/autoscale/instance-view.js';
import type { InstanceSessions } from '../../../src/autoscale/observation.js';
import { minutesBefore, NO_DATA, NOW, sessions, vm } from './factories.js';

const WINDOW = 20;
const before = (ms: number) => new Date(NOW.getTime() - ms);

describe('viewOf', () => {
  it('knows the sessions of a running VM whose newest sample is at most 5 minutes old, and not one a millisecond older', () => {
    const at = (lastSampleAt: Date): InstanceSessions => ({ ...sessions({ idleMinutes: 40 }), lastSampleAt });
    expect(viewOf(vm(1, { sessions: at(minutesBefore(NOW, 5)) }), NOW, WINDOW)).toMatchObject({ known: true, busy: false });
    expect(viewOf(vm(1, { sessions: at(before(5 * 60_000 + 1)) }), NOW, WINDOW)).toMatchObject({ known: false, busy: true, idleMinutes: 0, idleForWindow: false });
  });

  it('does not know sessions without data, even with a fresh sample time', () => {
    const s: InstanceSessions = { hasData: false, latest: 0, maxInWindow: 0, lastSampleAt: minutesBefore(NOW, 1), firstSampleAt: minutesBefore(NOW, 60) };
    expect(viewOf(vm(1, { sessions: s }), NOW, WINDOW)).toMatchObject({ known: false, idleMinutes: 0, busy: true });
  });

  it('counts idle minutes from one minute after the last busy sample, and is idle for the window from its last minute on', () => {
    expect(viewOf(vm(1, { idleMinutes: 20 }), NOW, WINDOW)).toMatchObject({ known: true, idleMinutes: 20, idleForWindow: true, busy: false });
    expect(viewOf(vm(1, { idleMinutes: 19 }), NOW, WINDOW)).toMatchObject({ known: true, idleMinutes: 19, idleForWindow: false, busy: false });
  });

  it('counts no idle minutes for a VM that had a session in the window at an unknown time', () => {
    const s: InstanceSessions = { hasData: true, latest: 0, maxInWindow: 1, firstSampleAt: minutesBefore(NOW, 60), lastSampleAt: minutesBefore(NOW, 1) };
    expect(viewOf(vm(1, { sessions: s }), NOW, WINDOW)).toMatchObject({ known: true, idleMinutes: 0, idleForWindow: false });
  });

  it('counts no idle minutes for a stale running VM, whatever its last data said', () => {
    const s: InstanceSessions = { hasData: true, latest: 0, maxInWindow: 0, firstSampleAt: minutesBefore(NOW, 60), lastSampleAt: minutesBefore(NOW, 10) };
    expect(viewOf(vm(1, { sessions: s }), NOW, WINDOW)).toMatchObject({ known: false, idleMinutes: 0, idleForWindow: false, busy: true });
  });

  it('counts no idle minutes for a VM whose last sample had sessions', () => {
    // Deallocated while two people were on: the last sample, 30 minutes ago, was busy.
    const s: InstanceSessions = { hasData: true, latest: 2, maxInWindow: 2, firstSampleAt: minutesBefore(NOW, 60), lastSampleAt: minutesBefore(NOW, 30), lastBusyAt: minutesBefore(NOW, 30) };
    expect(viewOf(vm(1, { state: 'deallocated', sessions: s }), NOW, WINDOW)).toMatchObject({ known: true, idleMinutes: 0, idleForWindow: false, busy: false });
  });

  it('never calls a VM that is not running idle for the window, nor busy', () => {
    const s = sessions({ idleMinutes: 40 });
    expect(viewOf(vm(1, { state: 'deallocated', sessions: s }), NOW, WINDOW)).toMatchObject({ known: true, idleMinutes: 40, idleForWindow: false, busy: false });
    expect(viewOf(vm(2, { state: 'deallocated', sessions: NO_DATA }), NOW, WINDOW)).toMatchObject({ known: false, busy: false });
  });

  it('reads a running VM with a session now as busy and not idle', () => {
    expect(viewOf(vm(1, { latest: 1 }), NOW, WINDOW)).toMatchObject({ known: true, idleMinutes: 0, idleForWindow: false, busy: true });
  });

  it.each([
    ['a seat the broker reserved', { reserved: 1 }],
    ['a session its own report shows', { reported: 1 }],
  ])('reads an idle VM holding %s as busy, with no idle minutes', (_, held) => {
    expect(viewOf(vm(1, { idleMinutes: 40, ...held }), NOW, WINDOW)).toMatchObject({ idleMinutes: 0, idleForWindow: false, busy: true });
  });

  it('reads reserved 0 and reported 0 as not held', () => {
    expect(viewOf(vm(1, { idleMinutes: 40, reserved: 0, reported: 0 }), NOW, WINDOW)).toMatchObject({ idleMinutes: 40, idleForWindow: true, busy: false });
  });
});

describe('unknownIsFull', () => {
  const unknown = (o: Parameters<typeof vm>[1] = {}) => viewOf(vm(1, { sessions: NO_DATA, ...o }), NOW, WINDOW);

  it('counts a running VM without a report as full once it has run more than 5 minutes (booting until then)', () => {
    expect(unknownIsFull(unknown({ runningSince: minutesBefore(NOW, 5) }), NOW)).toBe(false);
    expect(unknownIsFull(unknown({ runningSince: before(5 * 60_000 + 1) }), NOW)).toBe(true);
  });

  it('without a running-since, counts full a VM that had data and lost it, not one that never reported', () => {
    const stale: InstanceSessions = { ...sessions({ idleMinutes: 40 }), lastSampleAt: minutesBefore(NOW, 10) };
    expect(unknownIsFull(unknown({ sessions: stale }), NOW)).toBe(true);
    expect(unknownIsFull(unknown(), NOW)).toBe(false);
  });

  it('never counts full a VM whose sessions are known, one the broker has a report of, or one not running', () => {
    expect(unknownIsFull(viewOf(vm(1, { idleMinutes: 40, runningSince: minutesBefore(NOW, 60) }), NOW, WINDOW), NOW)).toBe(false);
    expect(unknownIsFull(unknown({ reported: 0, runningSince: minutesBefore(NOW, 60) }), NOW)).toBe(false);
    expect(unknownIsFull(unknown({ state: 'starting', runningSince: minutesBefore(NOW, 60) }), NOW)).toBe(false);
  });
});

describe('byInstanceId', () => {
  const sorted = (...ids: string[]) => ids.map((id) => vm(id)).sort(byInstanceId).map((v) => v.instanceId);

  it('sorts numeric ids as numbers, so "10" follows "9"', () => {
    expect(sorted('10', '9', '2')).toEqual(['2', '9', '10']);
  });

  it('sorts other ids as text, also against a numeric one', () => {
    expect(sorted('vm-b', 'vm-a')).toEqual(['vm-a', 'vm-b']);
    expect(sorted('x', '3')).toEqual(['3', 'x']);
  });
});
