import { describe, expect, it } from 'vitest';
import { SessionSampleLog } from '../../../src/simulator/session-sample-log.js';
import type { PoolInstance } from '../../../src/simulator/vm-pool.port.js';

const MINUTE = 60_000;
const vm = (instanceId: string, state: PoolInstance['state'], sessions: number): PoolInstance => ({
  instanceId,
  state,
  protectFromScaleIn: false,
  sessions,
  sessionsByKind: { jupyter: sessions, ssh: 0 },
});

describe('simulated session metric', () => {
  it('reads newest value, window maximum and last busy minute, as the metrics adapter folds them', () => {
    const log = new SessionSampleLog(30 * MINUTE);
    [2, 3, 0, 0].forEach((n, m) => log.record(m * MINUTE, [vm('0', 'running', n)]));
    expect(log.read('0', 3 * MINUTE, 25 * MINUTE)).toEqual({
      hasData: true,
      latest: 0,
      maxInWindow: 3,
      firstSampleAt: new Date(0),
      lastSampleAt: new Date(3 * MINUTE),
      lastBusyAt: new Date(MINUTE),
      unbrokenSince: new Date(0),
    });
  });

  it('dates the newest unbroken run from the first post after the VM was away (deallocated, then started)', () => {
    const log = new SessionSampleLog(60 * MINUTE);
    for (const m of [0, 1, 2, 20, 21]) log.record(m * MINUTE, [vm('0', 'running', 0)]);
    expect(log.read('0', 21 * MINUTE, 35 * MINUTE)).toMatchObject({ firstSampleAt: new Date(0), unbrokenSince: new Date(20 * MINUTE) });
  });

  it('has no data for a VM that is booting, and forgets samples older than the window', () => {
    const log = new SessionSampleLog(10 * MINUTE);
    log.record(0, [vm('0', 'running', 1), vm('1', 'creating', 0)]);
    expect(log.read('1', 0, 10 * MINUTE)).toEqual({ hasData: false, latest: 0, maxInWindow: 0 });
    expect(log.read('0', 11 * MINUTE, 10 * MINUTE).hasData).toBe(false);
  });

  it('hides samples newer than the ingestion delay', () => {
    const log = new SessionSampleLog(30 * MINUTE);
    log.record(0, [vm('0', 'running', 0)]);
    log.record(MINUTE, [vm('0', 'running', 4)]);
    expect(log.read('0', MINUTE, 25 * MINUTE, MINUTE)).toMatchObject({ latest: 0, maxInWindow: 0 });
    expect(log.read('0', MINUTE, 25 * MINUTE)).toMatchObject({ latest: 4, maxInWindow: 4 });
  });
});
