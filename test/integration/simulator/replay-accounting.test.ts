// The replay's accounting on hand-made traces whose answers can be worked out by hand, on the emulator's PoolModel
// (boot 180 s, start 60 s, deallocate 30 s) and the real decide().
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/local/emulator/compute/pool-model.js';
import { poolModelFactory } from '../../../src/local/simulator/simulate-files.js';
import { policyFromJson } from '../../../src/simulator/policy-file.js';
import { simulate, type BaselineName, type SimulationResult } from '../../../src/simulator/simulation.js';
import { traceOf, type TraceSession } from '../../../src/simulator/trace.js';
import type { SessionKind } from '../../../src/autoscale/session-metric.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const BOOT = DEFAULT_TIMINGS.bootSeconds;
const DEALLOCATE = DEFAULT_TIMINGS.deallocateSeconds;
// Mon 2 Mar 2026 … Sun 8 Mar 2026, UTC.
const t = (day: number, hhmm: string) => Date.parse(`2026-03-0${day}T${hhmm}:00Z`);
const s = (user: string, day: number, from: string, to: string, kind: SessionKind = 'jupyter'): TraceSession => ({ user, kind, start: t(day, from), end: t(day, to) });
// Idle VMs are deallocated (kept for restart, disk billed), so the accounting of both states is tested.
const oneSeat = policyFromJson('{"seatsPerInstance": 1, "spareSeats": 0, "maxDeallocated": 10}');
const IDLE = oneSeat.idleMinutesBeforeScaleIn;

function run(sessions: TraceSession[], baselines: BaselineName[], period = { start: t(2, '00:00'), end: t(3, '00:00') }, policy = oneSeat): SimulationResult {
  return simulate({ trace: traceOf(sessions, period), policy, newPool: poolModelFactory(), bootSeconds: BOOT, baselines });
}
const byName = (r: SimulationResult, name: string) => r.runs.find((x) => x.policy === name)!;

describe('replay accounting (dsvm-pool policy on the emulator VM model)', () => {
  it('one user 9–17 on a 1-seat pool: waits one boot, VM billed from the wake to the end of the idle window', () => {
    const r = run([s('ana', 2, '09:00', '17:00')], ['oracle']);
    const ours = byName(r, 'dsvm-pool');
    // 09:00 the user finds no VM and /connect wakes the pool → a VM is created (boot 180 s) and serves until 17:00;
    // it has had no session for the idle window at 17:00 + IDLE min and is deallocated (30 s, still billed).
    const billedMs = 8 * HOUR + IDLE * MINUTE + DEALLOCATE * 1000;
    expect(ours.vmHours).toBeCloseTo(billedMs / HOUR, 6);
    expect(ours.runningVmHours).toBeCloseTo((8 * HOUR + IDLE * MINUTE - BOOT * 1000) / HOUR, 6);
    expect(ours.deallocatedVmHours).toBeCloseTo((t(3, '00:00') - t(2, '17:00') - IDLE * MINUTE - DEALLOCATE * 1000) / HOUR, 6);
    expect(ours.waits).toEqual({ p50Seconds: BOOT, p95Seconds: BOOT, maxSeconds: BOOT, waited: 1, neverSeated: 0 });
    expect(ours.killedSessions).toBe(0);
    expect(ours.scaleActions).toEqual({ out: 1, in: 1 });
    expect(byName(r, 'oracle').vmHours).toBe(8);
  });

  it('two overlapping users on a 1-seat pool: the second waits for a second VM, which goes once it is empty', () => {
    const r = run([s('ana', 2, '09:00', '13:00'), s('bo', 2, '11:00', '17:00')], ['oracle', 'lb-random']);
    const ours = byName(r, 'lb-random');
    // Without the broker, bo connects at 11:00 to the only running VM (the load balancer knows no seats), so the pool is one seat short
    // until the VM created at 11:00 is up (180 s). At 13:00 ana leaves VM 0, where bo also is: the new VM has
    // never had a session, has been idle for the window, and is deallocated at 13:00; VM 0 at 17:00 + IDLE.
    const vm0 = t(2, '17:00') + IDLE * MINUTE + DEALLOCATE * 1000 - t(2, '09:00');
    const vm1 = t(2, '13:00') + DEALLOCATE * 1000 - t(2, '11:00');
    expect(ours.vmHours).toBeCloseTo((vm0 + vm1) / HOUR, 6);
    expect(ours.waits).toMatchObject({ maxSeconds: BOOT, waited: 2, neverSeated: 0 });
    expect(ours.seatShortageSessionHours).toBeCloseTo((2 * BOOT) / 3600, 6);
    expect(ours.killedSessions).toBe(0);
    expect(byName(r, 'oracle').vmHours).toBe(10);
    // With the broker bo never shares ana's only seat: bo holds a seat on the VM created at 11:00 and connects when
    // it runs; VM 0 goes 30 min after ana leaves, VM 1 30 min after bo leaves. Dearer by half an hour, no seat shared.
    const broker = byName(r, 'dsvm-pool');
    const b0 = t(2, '13:00') + IDLE * MINUTE + DEALLOCATE * 1000 - t(2, '09:00');
    const b1 = t(2, '17:00') + IDLE * MINUTE + DEALLOCATE * 1000 - t(2, '11:00');
    expect(broker.vmHours).toBeCloseTo((b0 + b1) / HOUR, 6);
    expect(broker.waits).toMatchObject({ maxSeconds: BOOT, waited: 2, neverSeated: 0 });
    expect(broker.killedSessions).toBe(0);
  });

  it("a user's SSH job beside their own notebook on a full 1-seat VM: the broker starts no VM that would seat nobody", () => {
    const r = run([s('ana', 2, '09:00', '17:00'), s('ana', 2, '10:00', '12:00', 'ssh')], ['lb-random']);
    // The broker puts ana's second session on her own VM (affinity), past its one seat, and she waits for nothing;
    // no other VM is started for it, since no session moves. The one VM goes IDLE min after 17:00.
    const broker = byName(r, 'dsvm-pool');
    expect(broker.vmOperations.created).toBe(1);
    expect(broker.vmHours).toBeCloseTo((t(2, '17:00') + IDLE * MINUTE + DEALLOCATE * 1000 - t(2, '09:00')) / HOUR, 6);
    expect(broker.waits).toMatchObject({ maxSeconds: BOOT, waited: 1, neverSeated: 0 });
    expect(broker.overSeatSessionHours).toBeCloseTo(2, 6);
    // The load balancer's pool counts both sessions as demand and creates a second VM, which the SSH job never
    // reaches (it stays where the load balancer put it).
    const lb = byName(r, 'lb-random');
    expect(lb.vmOperations.created).toBe(2);
    expect(lb.overSeatSessionHours).toBeCloseTo(2, 6);
  });

  it('a weekend with nobody costs our policy nothing', () => {
    const weekend = { start: t(7, '00:00'), end: Date.parse('2026-03-09T00:00:00Z') };
    const ours = byName(run([], ['oracle'], weekend), 'dsvm-pool');
    expect(ours).toMatchObject({ vmHours: 0, deallocatedVmHours: 0, cost: { total: 0 }, scaleActions: { out: 0, in: 0 } });
  });

  it('a week with work on Friday and Monday only: no VM is billed over the weekend in between', () => {
    const period = { start: t(6, '00:00'), end: Date.parse('2026-03-10T00:00:00Z') };
    const r = run([s('ana', 6, '09:00', '17:00'), { ...s('ana', 6, '09:00', '17:00'), start: Date.parse('2026-03-09T09:00:00Z'), end: Date.parse('2026-03-09T17:00:00Z') }], [], period);
    const ours = byName(r, 'dsvm-pool');
    const weekendBuckets = ours.timeline.filter((p) => p.t >= t(7, '00:00') && p.t < Date.parse('2026-03-09T00:00:00Z'));
    expect(weekendBuckets.length).toBe(2 * 24 * 12);
    expect(weekendBuckets.every((p) => p.allocatedVms === 0)).toBe(true);
    // Monday restarts the deallocated VM (60 s) instead of creating one.
    expect(ours.vmOperations).toMatchObject({ created: 1, started: 1 });
    expect(ours.waits.maxSeconds).toBe(BOOT);
    expect(ours.waits.p50Seconds).toBe(DEFAULT_TIMINGS.startSeconds);
  });

  it('always-on runs the peak number of VMs for the whole period', () => {
    const sessions = [s('a', 2, '09:00', '12:00'), s('b', 2, '10:00', '11:00'), s('c', 2, '10:30', '14:00'), s('d', 2, '10:45', '10:50')];
    const r = run(sessions, ['always-on', 'oracle'], { start: t(2, '00:00'), end: t(4, '00:00') }, policyFromJson('{"seatsPerInstance": 2}'));
    expect(r.trace.peakVms).toBe(2); // 4 at 10:45 on 2 seats
    expect(byName(r, 'always-on').vmHours).toBe(2 * 48);
    expect(byName(r, 'always-on').cost.total).toBeCloseTo(2 * 48 * 0.192, 2);
    expect(byName(r, 'always-on').waits.waited).toBe(0);
  });
});
