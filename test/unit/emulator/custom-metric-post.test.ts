// Custom-metric ingestion judges a post's time as Azure does (at most 20 min old, 5 min ahead), and under a scaled
// clock (`npm start`, 60×) accepts a real reporter's wall-clock stamps, mapped to simulated time by their real age.
import { describe, expect, it } from 'vitest';
import { parseCustomMetricPost } from '../../../src/local/emulator/monitor/custom-metric-post.js';

const body = (time: Date) => ({ time: time.toISOString(), data: { baseData: { metric: 'ActiveSessions', namespace: 'DSVMPool', dimNames: ['InstanceId', 'Kind'], series: [{ dimValues: ['0', 'ssh'], min: 1, max: 1, sum: 1, count: 1 }] } } });
const WALL = Date.parse('2026-11-30T12:00:00Z');
const SIM = WALL + 6 * 3_600_000; // 6 real minutes at 60× later: simulated time is 6 h ahead of the wall clock

describe('parseCustomMetricPost', () => {
  it('refuses a stamp 25 min before simulated now (InvalidTimestamp) without a wall clock (tests, manual clock)', () => {
    expect(parseCustomMetricPost(body(new Date(SIM - 25 * 60_000)), SIM)).toMatchObject({ ok: false, code: 'InvalidTimestamp' });
  });

  it('before: a real reporter stamping the wall clock was refused once the 60× clock ran 20 min ahead', () => {
    expect(parseCustomMetricPost(body(new Date(WALL - 2_000)), SIM)).toMatchObject({ ok: false, code: 'InvalidTimestamp' });
  });

  it('accepts a wall-clock stamp under a scaled clock and maps it to simulated time by its real age', () => {
    const r = parseCustomMetricPost(body(new Date(WALL - 2_000)), SIM, { nowMs: WALL, speed: 60 });
    expect(r.ok && r.samples[0]!.timeMs).toBe(SIM - 2_000 * 60);
  });

  it('still refuses a wall-clock stamp older than 20 real minutes', () => {
    expect(parseCustomMetricPost(body(new Date(WALL - 21 * 60_000)), SIM, { nowMs: WALL, speed: 60 })).toMatchObject({ ok: false, code: 'InvalidTimestamp' });
  });

  it('takes a stamp in simulated time as it is, scaled clock or not', () => {
    const r = parseCustomMetricPost(body(new Date(SIM - 60_000)), SIM, { nowMs: WALL, speed: 60 });
    expect(r.ok && r.samples[0]!.timeMs).toBe(SIM - 60_000);
  });
});
