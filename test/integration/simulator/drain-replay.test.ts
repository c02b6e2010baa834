// The replay's autoscaler drains before scale-in as the act step does: a VM about to be removed is drained on the
// emulator's PoolModel, its sessions counted there (no metric delay), and kept when it has any. A user who lands on
// an idle VM in the minutes before its removal is invisible to a late metric; without the drain (and without the
// broker, whose placements count at once) they are killed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/local/emulator/compute/pool-model.js';
import { poolModelFactory } from '../../../src/local/simulator/simulate-files.js';
import { policyFromJson } from '../../../src/simulator/policy-file.js';
import { simulate } from '../../../src/simulator/simulation.js';
import { traceOf } from '../../../src/simulator/trace.js';

const MINUTE = 60_000;
const t = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);
const day = { start: t('00:00'), end: Date.parse('2026-03-03T00:00:00Z') };
/** The idle window the arrivals are laid around (written here, not read from the default). */
const IDLE = 30;

/** Ana 09:00–10:00 on a 1-seat pool; Ben connects `offset` minutes after 10:00, for an hour, metric 180 s late. */
function killed(offsetMinutes: number, drainBeforeScaleIn: boolean, placement: 'lb-random' | 'dsvm-pool' = 'lb-random'): number {
  const policy = policyFromJson(JSON.stringify({ seatsPerInstance: 1, spareSeats: 0, maxDeallocated: 10, idleMinutesBeforeScaleIn: IDLE, drainBeforeScaleIn }));
  const benAt = t('10:00') + offsetMinutes * MINUTE;
  const trace = traceOf(
    [
      { user: 'ana', kind: 'jupyter', start: t('09:00'), end: t('10:00') },
      { user: 'ben', kind: 'ssh', start: benAt, end: benAt + 60 * MINUTE },
    ],
    day,
  );
  const result = simulate({ trace, policy, newPool: poolModelFactory(), bootSeconds: DEFAULT_TIMINGS.bootSeconds, baselines: ['lb-random'], metricDelaySeconds: 180 });
  return result.runs.find((r) => r.policy === placement)!.killedSessions;
}

describe('drain before scale-in in the replay', () => {
  // Ben lands on the idle VM somewhere around the end of Ana's idle window.
  const offsets = Array.from({ length: 16 }, (_, i) => IDLE - 5 + i);

  it('without the drain, a user placed on the VM just before its removal is killed', () => {
    expect(offsets.map((o) => killed(o, false)).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('with the broker placing users, nobody is killed even without the drain: a VM with a placed user is not idle', () => {
    expect(offsets.map((o) => killed(o, false, 'dsvm-pool'))).toEqual(offsets.map(() => 0));
  });

  it('with the drain, no user is killed at any arrival minute', () => {
    expect(offsets.map((o) => killed(o, true))).toEqual(offsets.map(() => 0));
  });
});
