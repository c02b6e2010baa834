// What placement alone can reach: people (a user's overlapping sessions), stretches, the oracle of people, greedy
// online placement and the no-move model solved by HiGHS, on small traces worked out by hand (hours as epoch ms).
import { describe, expect, it } from 'vitest';
import { loadHighs } from '../../../src/local/simulator/placement-bounds-files.js';
import { greedyPlacementVmHours, noMoveModel, presenceOracleVmHours, presencesOf, stretchesOf, type Presence } from '../../../src/simulator/placement-bounds.js';

const H = 3_600_000;
const person = (user: string, from: number, to: number): Presence => ({ user, start: from * H, end: to * H });
const session = (user: string, from: number, to: number, kind: 'jupyter' | 'ssh' = 'jupyter') => ({ user, kind, start: from * H, end: to * H });

async function noMoveHours(people: Presence[], seats: number): Promise<number> {
  const highs = await loadHighs();
  let hours = 0;
  for (const stretch of stretchesOf(people)) {
    const s = highs.solve(noMoveModel(stretch, seats), { output_flag: false });
    expect(s.Status).toBe('Optimal');
    hours += s.ObjectiveValue;
  }
  return hours;
}

describe('presencesOf and stretchesOf', () => {
  it("merges one user's overlapping or touching sessions into one person, never two users'", () => {
    const people = presencesOf({ sessions: [session('ann', 0, 2), session('ann', 1, 3, 'ssh'), session('ann', 3, 4), session('ann', 5, 6), session('bob', 1, 2)] });
    expect(people).toEqual([person('ann', 0, 4), person('bob', 1, 2), person('ann', 5, 6)]);
  });

  it('splits where nobody is present, and only there', () => {
    const people = [person('a', 0, 2), person('b', 1, 3), person('c', 3, 4), person('d', 5, 6)];
    expect(stretchesOf(people)).toEqual([[people[0], people[1]], [people[2]], [people[3]]]);
  });
});

describe('what placement alone reaches', () => {
  // Seats 2. A stays 0–10, B 0–2, C arrives at 1 and stays to 10.
  const late = [person('a', 0, 10), person('b', 0, 2), person('c', 1, 10)];

  it('the oracle of people: ceil(present / seats) VMs at every instant', () => {
    // 0–1: 2 people → 1 VM; 1–2: 3 → 2; 2–10: 2 → 1.
    expect(presenceOracleVmHours(late, 2)).toBeCloseTo(11, 9);
  });

  it('never moving anyone but knowing who comes: A and C share a VM, B is alone (12 h); online depth-first puts B with A and C needs a VM of its own (19 h)', async () => {
    expect(await noMoveHours(late, 2)).toBeCloseTo(12, 6);
    expect(greedyPlacementVmHours(late, 2, 'depth-first')).toBeCloseTo(19, 9);
    expect(greedyPlacementVmHours(late, 2, 'known-departures')).toBeCloseTo(19, 9);
  });

  it('knowing departures puts a newcomer on the VM that stays up anyway, where depth-first picks the fuller one', async () => {
    // Seats 3. VM 1: P 0–10 with R1, R2 0–1; VM 2: Q1, Q2 0.5–3 (VM 1 was full). S comes at 2 and stays to 9.
    const people = [person('p', 0, 10), person('r1', 0, 1), person('r2', 0, 1), person('q1', 0.5, 3), person('q2', 0.5, 3), person('s', 2, 9)];
    expect(greedyPlacementVmHours(people, 3, 'depth-first')).toBeCloseTo(10 + 8.5, 9); // S keeps VM 2 up to 9
    expect(greedyPlacementVmHours(people, 3, 'known-departures')).toBeCloseTo(10 + 2.5, 9);
    expect(await noMoveHours(people, 3)).toBeCloseTo(12.5, 6);
    // 0–0.5: 3 → 1 VM; 0.5–1: 5 → 2; 1–2: 3 → 1; 2–3: 4 → 2; 3–10: ≤ 2 → 1.
    expect(presenceOracleVmHours(people, 3)).toBeCloseTo(0.5 + 2 * 0.5 + 1 + 2 * 1 + 7, 9);
  });

  it('never puts more than the seats on a VM: five people at once on 4-seat VMs need two', async () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((u) => person(u, 0, 1));
    expect(await noMoveHours(five, 4)).toBeCloseTo(2, 6);
    expect(greedyPlacementVmHours(five, 4, 'depth-first')).toBeCloseTo(2, 9);
  });
});
