// A small soak through the real stack (the full 300 jobs: `npm run bench -- soak`): 30 jobs under 10% Batch 503/429,
// dropped connections, a 3-minute Batch outage and a host restart. Nothing lost, no job with two Batch tasks, every
// job final.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../support/soak.js';

describe('job service soak', () => {
  it('loses nothing, duplicates no task and finishes every job under Batch faults, an outage and a host restart', async () => {
    const r = await runSoak({ jobs: 30, maxTicks: 60 });
    expect(r.submitted).toBe(30);
    expect(r.lost).toEqual([]);
    expect(r.duplicated).toEqual([]);
    expect(r.notFinal).toEqual([]);
    expect(r.states).toEqual({ succeeded: 30 });
    // The outage outlasted what once poisoned a job (more attempts than maxDequeueCount 5), and faults did fire.
    expect(r.attemptsDuringOutage).toBeGreaterThan(5);
    expect(r.faultsInjected).toBeGreaterThan(0);
  }, 240_000);
});
