import { describe, expect, it } from 'vitest';
import { oracle } from '../../../src/simulator/baselines/oracle.js';
import { DEFAULT_PRICES } from '../../../src/simulator/run-metrics.js';
import { peakConcurrency, traceOf, type TraceSession } from '../../../src/simulator/trace.js';

const at = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);
const s = (user: string, from: string, to: string): TraceSession => ({ user, kind: 'jupyter', start: at(from), end: at(to) });

describe('oracle', () => {
  it('runs exactly ceil(sessions / seats) VMs at every instant', () => {
    // 2 seats: 09–10 one session, 10–10:30 two, 10:30–11 three, 11–12 two, 12–14 one → 1 + .5 + 2×.5 + 1 + 2 = 5.5 VM-h.
    const trace = traceOf([s('a', '09:00', '12:00'), s('b', '10:00', '11:00'), s('c', '10:30', '14:00')]);
    const run = oracle(trace, 2, DEFAULT_PRICES);
    expect(run.vmHours).toBeCloseTo(5.5, 10);
    expect(run.cost.total).toBeCloseTo(5.5 * DEFAULT_PRICES.vmPerHour, 2);
    expect(run).toMatchObject({ killedSessions: 0, deallocatedVmHours: 0, scaleActions: { out: 2, in: 2 } });
    expect(Math.max(...run.timeline.map((p) => p.allocatedVms))).toBe(2);
  });

  it('needs one VM-hour per session-hour on a 1-seat pool, and none for an empty period', () => {
    expect(oracle(traceOf([s('a', '09:00', '17:00')]), 1, DEFAULT_PRICES).vmHours).toBe(8);
    expect(oracle(traceOf([], { start: at('00:00'), end: at('23:00') }), 1, DEFAULT_PRICES).vmHours).toBe(0);
  });

  it('frees a seat at the instant one session ends and another begins', () => {
    expect(peakConcurrency([s('a', '09:00', '12:00'), s('b', '12:00', '13:00')])).toBe(1);
    expect(oracle(traceOf([s('a', '09:00', '12:00'), s('b', '12:00', '13:00')]), 1, DEFAULT_PRICES).vmHours).toBe(4);
  });
});
