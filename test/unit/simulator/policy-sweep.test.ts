// The default-policy study's grid and its choice rule, on hand-made candidate figures whose ranking is known.
import { describe, expect, it } from 'vitest';
import { candidatesOf, chooseDefault, type CandidateResult, type CandidateSummary } from '../../../src/simulator/policy-sweep.js';
import { defaultPolicy } from '../../../src/simulator/policy-file.js';
import { SimulatorError } from '../../../src/simulator/errors.js';

function candidate(name: number, s: Partial<CandidateSummary> & { killed?: [number, number, number] }): CandidateResult {
  const [k0, k60, k180] = s.killed ?? [0, 0, 0];
  const summary: CandidateSummary = {
    killedByDelay: { 0: k0, 60: k60, 180: k180 },
    killedTotal: k0 + k60 + k180,
    cost: s.cost ?? 100,
    costByDelay: { 0: s.cost ?? 100, 60: s.cost ?? 100, 180: s.cost ?? 100 },
    worstOracleRatio: s.worstOracleRatio ?? 1.2,
    worstP95WaitSeconds: s.worstP95WaitSeconds ?? 60,
    p95ByDelay: { 0: s.worstP95WaitSeconds ?? 60, 60: s.worstP95WaitSeconds ?? 60, 180: s.worstP95WaitSeconds ?? 60 },
    worstMaxWaitSeconds: 180,
    waitWithinBoot: (s.worstP95WaitSeconds ?? 60) <= 180,
  };
  return { fields: { spareSeats: name }, policy: defaultPolicy(), runs: [], summary };
}
const chosenOf = (cs: CandidateResult[]) => chooseDefault(cs).chosen.fields.spareSeats;

describe('candidatesOf', () => {
  it('makes every combination of the grid values, in grid order', () => {
    expect(candidatesOf({ spareSeats: [0, 1], scaleInAction: ['deallocate', 'delete'] })).toEqual([
      { spareSeats: 0, scaleInAction: 'deallocate' },
      { spareSeats: 0, scaleInAction: 'delete' },
      { spareSeats: 1, scaleInAction: 'deallocate' },
      { spareSeats: 1, scaleInAction: 'delete' },
    ]);
    expect(candidatesOf({ a: [1, 2, 3], b: [1, 2], c: [true, false] })).toHaveLength(12);
  });

  it('refuses a field with no values', () => {
    expect(() => candidatesOf({ spareSeats: [] })).toThrow(SimulatorError);
  });
});

describe('chooseDefault: users first, then money, with the seat wait as a requirement', () => {
  it('prefers a candidate that kills nobody at any delay to a cheaper one that kills at a metric delay', () => {
    expect(chosenOf([candidate(1, { cost: 50, killed: [0, 1, 0] }), candidate(2, { cost: 80 })])).toBe(2);
    expect(chooseDefault([candidate(1, { cost: 50, killed: [0, 0, 1] }), candidate(2, { cost: 80 })]).killFreeExists).toBe(true);
  });

  it('among kill-free candidates, takes the cheapest whose p95 seat wait is within the boot time', () => {
    const picked = chooseDefault([
      candidate(1, { cost: 60, worstP95WaitSeconds: 240 }),
      candidate(2, { cost: 90 }),
      candidate(3, { cost: 70 }),
    ]);
    expect(picked.chosen.fields.spareSeats).toBe(3);
    expect(picked.ranked.map((c) => c.fields.spareSeats)).toEqual([3, 2, 1]);
  });

  it('breaks a cost tie by the lower worst ratio to the oracle', () => {
    expect(chosenOf([candidate(1, { cost: 70, worstOracleRatio: 1.3 }), candidate(2, { cost: 70, worstOracleRatio: 1.2 })])).toBe(2);
  });

  it('says so when no candidate is kill-free, and then takes the fewest killed at the first real delay', () => {
    const picked = chooseDefault([
      candidate(1, { cost: 50, killed: [0, 2, 0] }),
      candidate(2, { cost: 90, killed: [0, 0, 3] }),
      candidate(3, { cost: 70, killed: [0, 0, 4] }),
    ]);
    expect(picked.killFreeExists).toBe(false);
    expect(picked.rule).toMatch(/no candidate is kill-free/);
    // 2 and 3 kill none at 60 s; 2 kills fewer in all, which outranks 3's lower cost.
    expect(picked.ranked.map((c) => c.fields.spareSeats)).toEqual([2, 3, 1]);
  });

  it('refuses an empty list', () => {
    expect(() => chooseDefault([])).toThrow(SimulatorError);
  });
});
