// The timeline view: the window per range, demand inside it, capacity as seats, and only scale actions marked.
import { describe, expect, it } from 'vitest';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import { buildTimeline, isTimelineRange } from '../../../src/autoscale/timeline.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const ago = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const ev = (h: number, direction: ScaleEvent['direction'], o: Partial<ScaleEvent> = {}): ScaleEvent => ({
  pool: 'lab', at: ago(h), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction, reason: `reason ${h}`, steps: ['setCapacity 2'],
  observed: { capacity: 1, provisioningState: 'Succeeded', instances: ['0 running 1/1'] },
  plan: { start: [], newCapacity: direction === 'out' ? 2 : undefined, deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 2, figures: {} as never, warnings: [] },
  actedOut: direction === 'out', actedIn: false, durationMs: 1, ...o,
});

const two = { capacity: 2, provisioningState: 'Succeeded', instances: ['0 running 1/1', '1 running 0/0'] };

describe('timeline', () => {
  it('accepts 24h and 7d only', () => {
    expect(['24h', '7d', '1y', 'constructor'].map(isTimelineRange)).toEqual([true, true, false, false]);
  });

  it('keeps what falls in the range, marks scale actions (not no-op or wake rows) and counts seats per VM', () => {
    const t = buildTimeline({
      pool: 'lab', range: '24h', now: NOW, seatsPerInstance: 4,
      sessions: [{ at: ago(30), sessions: 9, reportingVms: 1 }, { at: ago(2), sessions: 3, reportingVms: 1 }, { at: ago(1), sessions: 5, reportingVms: 2 }],
      events: [ev(1.5, 'out'), ev(1, 'none', { observed: two }), ev(0.5, 'in', { kind: 'wake', observed: two }), ev(48, 'out')],
      current: { activeVms: 2, billedVms: 2 },
    });
    expect([t.from, t.to, t.intervalMinutes]).toEqual(['2026-11-29T12:00:00.000Z', '2026-11-30T12:00:00.000Z', 5]);
    expect(t.demand.map((d) => d.sessions)).toEqual([3, 5]);
    expect(t.capacity.map((c) => [c.at.slice(11, 16), c.seats])).toEqual([['12:00', 4], ['10:30', 8]]);
    expect(t.actions).toEqual([{ at: ago(1.5).toISOString(), direction: 'out', outcome: 'done', reason: 'reason 1.5', steps: ['setCapacity 2'] }]);
  });

  it('uses hourly points over 7 days', () => {
    const t = buildTimeline({ pool: 'lab', range: '7d', now: NOW, seatsPerInstance: 2, sessions: [{ at: ago(100), sessions: 1, reportingVms: 1 }], events: [] });
    expect([t.intervalMinutes, t.from, t.demand.length, t.capacity.length]).toEqual([60, '2026-11-23T12:00:00.000Z', 1, 0]);
  });
  it('takes demand and actions at both ends of the range and none after it, actions in time order', () => {
    const t = buildTimeline({
      pool: 'lab', range: '24h', now: NOW, seatsPerInstance: 4,
      sessions: [{ at: ago(-0.5), sessions: 7, reportingVms: 1 }, { at: NOW, sessions: 2, reportingVms: 1 }, { at: ago(24), sessions: 1, reportingVms: 1 }, { at: ago(24.1), sessions: 6, reportingVms: 1 }],
      events: [ev(-0.5, 'out'), ev(0, 'in', { steps: undefined }), ev(24, 'out'), ev(12, 'in'), ev(24.1, 'out')],
    });
    expect(t.demand).toEqual([{ at: NOW.toISOString(), sessions: 2 }, { at: ago(24).toISOString(), sessions: 1 }]);
    expect(t.actions.map((a) => [a.at, a.direction, a.steps])).toEqual([
      [ago(24).toISOString(), 'out', ['setCapacity 2']],
      [ago(12).toISOString(), 'in', ['setCapacity 2']],
      [NOW.toISOString(), 'in', []],
    ]);
  });
});
