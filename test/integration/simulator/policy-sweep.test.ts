// The default-policy study end to end on the emulator's VM model and the real decide(): a hand-made day whose
// answer is known, every candidate replayed at every delay and seed, and a policy that cannot exist refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/local/emulator/compute/pool-model.js';
import { poolModelFactory } from '../../../src/local/simulator/simulate-files.js';
import { chooseDefault, sweep } from '../../../src/simulator/policy-sweep.js';
import { SimulatorError } from '../../../src/simulator/errors.js';
import { traceOf } from '../../../src/simulator/trace.js';

const t = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);
// One user 09:00–17:00 on a pool of 1-seat VMs.
const day = traceOf([{ user: 'ana', kind: 'jupyter', start: t('09:00'), end: t('17:00') }], { start: t('00:00'), end: Date.parse('2026-03-03T00:00:00Z') });
// VMs are deallocated when idle (billed while deallocating), as in the hand-worked replay-accounting answers.
const base = { seatsPerInstance: 1, maxDeallocated: 10 };

describe('policy sweep on one user 9–17, 1 seat per VM', () => {
  const results = sweep({
    traces: [{ name: 'ana', trace: day }],
    base,
    grid: { spareSeats: [0, 1], idleMinutesBeforeScaleIn: [10, 30] },
    delaysSeconds: [0, 60],
    seeds: [1, 2],
    newPool: poolModelFactory(),
    bootSeconds: DEFAULT_TIMINGS.bootSeconds,
  });

  it('replays every candidate on every trace, delay and seed', () => {
    expect(results).toHaveLength(4);
    for (const r of results) expect(r.runs).toHaveLength(4);
    expect(results.map((r) => r.policy.spareSeats)).toEqual([0, 0, 1, 1]);
    expect(results.every((r) => r.policy.seatsPerInstance === 1)).toBe(true);
  });

  it('measures the known answer: a spare seat is a second VM all day, a longer idle window costs its minutes', () => {
    const vmHours = (spare: number, idle: number) =>
      results.find((r) => r.fields.spareSeats === spare && r.fields.idleMinutesBeforeScaleIn === idle)!.runs[0]!.vmHours;
    // One VM from the wake at 09:00 to 17:00 + the idle window + the 30 s deallocation.
    expect(vmHours(0, 10)).toBeCloseTo(8 + 10 / 60 + DEFAULT_TIMINGS.deallocateSeconds / 3600, 6);
    expect(vmHours(0, 30) - vmHours(0, 10)).toBeCloseTo(20 / 60, 6);
    expect(vmHours(1, 10)).toBeGreaterThan(vmHours(0, 10) + 7);
    for (const r of results) expect(r.runs.every((x) => x.oracleVmHours === 8 && x.killed === 0)).toBe(true);
  });

  it('chooses the cheapest kill-free candidate with the wait within the boot time', () => {
    const choice = chooseDefault(results);
    expect(choice.killFreeExists).toBe(true);
    expect(choice.chosen.fields).toEqual({ spareSeats: 0, idleMinutesBeforeScaleIn: 10 });
    expect(choice.chosen.summary.worstP95WaitSeconds).toBe(DEFAULT_TIMINGS.bootSeconds);
  });

  it('replays with the connection broker placing people, as the app does, not the load balancer', () => {
    // ana and bo overlap on a 1-seat pool: the load balancer puts bo beside ana on the only VM, the broker holds bo a
    // seat on a second VM, which then stays up until IDLE after bo leaves (replay-accounting.test.ts works it out).
    const two = traceOf(
      [{ user: 'ana', kind: 'jupyter', start: t('09:00'), end: t('13:00') }, { user: 'bo', kind: 'jupyter', start: t('11:00'), end: t('17:00') }],
      { start: t('00:00'), end: Date.parse('2026-03-03T00:00:00Z') },
    );
    const [candidate] = sweep({ traces: [{ name: 'two', trace: two }], base, grid: { idleMinutesBeforeScaleIn: [10] }, delaysSeconds: [0], newPool: poolModelFactory(), bootSeconds: DEFAULT_TIMINGS.bootSeconds });
    const broker = 4 + 10 / 60 + DEFAULT_TIMINGS.deallocateSeconds / 3600 + (6 + 10 / 60 + DEFAULT_TIMINGS.deallocateSeconds / 3600);
    expect(candidate!.runs[0]!.vmHours).toBeCloseTo(broker, 6);
  });

  it('refuses a candidate that is not a valid policy, naming the field', () => {
    expect(() =>
      sweep({ traces: [{ name: 'ana', trace: day }], grid: { idleMinutesBeforeScaleIn: [1] }, newPool: poolModelFactory(), bootSeconds: 180 }),
    ).toThrow(SimulatorError);
    expect(() =>
      sweep({ traces: [{ name: 'ana', trace: day }], grid: { idleMinutesBeforeScaleIn: [1] }, newPool: poolModelFactory(), bootSeconds: 180 }),
    ).toThrow(/idleMinutesBeforeScaleIn/);
  });
});

describe('sweep from files', () => {
  it('refuses a policy file that is not a valid policy, naming the file and the field, as simulate does', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { sweepFiles } = await import('../../../src/local/simulator/sweep-files.js');
    const dir = mkdtempSync(join(tmpdir(), 'dsvm-sweep-'));
    const policyPath = join(dir, 'bad-policy.json');
    writeFileSync(policyPath, JSON.stringify({ seatsPerInstance: 0 }));
    const error = await sweepFiles({ policyPath, grid: { spareSeats: [0] }, seeds: [1], delaysSeconds: [0] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatorError);
    expect((error as SimulatorError).message).toMatch(/bad-policy\.json is not a valid policy: seatsPerInstance/);
  });
});
