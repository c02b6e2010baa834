// The "Done when" properties of decide(), over thousands of generated pools, policies, session histories and
// clocks. The oracles below restate the rules independently of the implementation (own local-time arithmetic,
// own idle rule), so a bug in decide() cannot hide behind a shared helper.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import type { InstanceObservation, PoolObservation, ScaleHistory } from '../../../src/autoscale/observation.js';
import type { VmssPolicy } from '../../../src/autoscale/policy.js';
import type { ScalePlan } from '../../../src/autoscale/scale-plan.js';
import { caseArb } from './factories.js';

const RUNS = Number(process.env.DECIDE_PROPERTY_RUNS ?? 3000);
// Replays a failure: DECIDE_PROPERTY_SEED=<seed fast-check printed>.
const SEED = process.env.DECIDE_PROPERTY_SEED ? { seed: Number(process.env.DECIDE_PROPERTY_SEED) } : {};
const MINUTE = 60_000;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Local wall clock from the 'sv-SE' rendering ("2026-03-29 08:30:00"), not the code's formatToParts path. */
function wallClock(t: Date, timeZone: string): { day: number; minutes: number } {
  const [date, time] = t.toLocaleString('sv-SE', { timeZone, hour12: false }).split(' ');
  const [y, m, d] = date!.split('-').map(Number);
  const [hh, mm] = time!.split(':').map(Number);
  return { day: new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay(), minutes: (hh! % 24) * 60 + mm! };
}

/** Minutes east of UTC at `t` in `timeZone`, from the same 'sv-SE' rendering. */
function offsetMinutes(t: Date, timeZone: string): number {
  const [date, time] = t.toLocaleString('sv-SE', { timeZone, hour12: false }).split(' ');
  const [y, m, d] = date!.split('-').map(Number);
  const [hh, mm] = time!.split(':').map(Number);
  return Math.round((Date.UTC(y!, m! - 1, d!, hh! % 24, mm!) - Math.floor(t.getTime() / MINUTE) * MINUTE) / MINUTE);
}

/**
 * The floor at `t`, or undefined near a DST change (a schedule's zone changes its offset within 3 h of `t`): there a
 * wall-clock edge can occur twice or not at all, README's rule (an edge takes effect once, at its first occurrence)
 * decides, and the schedule tests (test/unit/autoscale/schedule.test.ts) check it, not this naive oracle.
 */
function oracleFloor(p: VmssPolicy, h: ScaleHistory, t: Date): number | undefined {
  for (const w of p.schedules) {
    if (offsetMinutes(new Date(t.getTime() - 3 * 60 * MINUTE), w.timeZone) !== offsetMinutes(new Date(t.getTime() + 3 * 60 * MINUTE), w.timeZone)) return undefined;
  }
  let floor = Math.max(p.minInstances, p.scaleToZero ? 0 : 1);
  if (h.lastWakeAt && t.getTime() - h.lastWakeAt.getTime() < p.wakeHoldMinutes * MINUTE) floor = Math.max(floor, 1);
  for (const w of p.schedules) {
    const { day, minutes } = wallClock(t, w.timeZone);
    const [fh, fm] = w.from.split(':').map(Number);
    const [th, tm] = w.to.split(':').map(Number);
    const from = fh! * 60 + fm!;
    const to = th! * 60 + tm!;
    const on = (d: number) => w.days.includes(DAYS[(d + 7) % 7] as (typeof w.days)[number]);
    const inside = from < to ? on(day) && minutes >= from && minutes < to : (on(day) && minutes >= from) || (on(day - 1) && minutes < to);
    if (inside) floor = Math.max(floor, w.minInstances);
  }
  return Math.min(floor, p.maxInstances);
}

/** Zero sessions, with fresh data, for the whole idle window. */
function oracleIdle(vm: InstanceObservation, p: VmssPolicy, now: Date): boolean {
  const s = vm.sessions;
  if (vm.state !== 'running' || !s.hasData || s.latest !== 0 || !s.lastSampleAt) return false;
  if (now.getTime() - s.lastSampleAt.getTime() > 5 * MINUTE) return false;
  if (s.maxInWindow > 0 && !s.lastBusyAt) return false;
  const back = (s.unbrokenSince ?? s.firstSampleAt)!.getTime();
  const idleSince = s.lastBusyAt ? Math.max(s.lastBusyAt.getTime() + MINUTE, back) : back;
  return now.getTime() - idleSince >= p.idleMinutesBeforeScaleIn * MINUTE;
}

const ACTIVE = new Set(['running', 'starting', 'creating']);
const activeOf = (o: PoolObservation) =>
  o.instances.filter((i) => ACTIVE.has(i.state)).length + Math.max(0, o.capacity - o.instances.filter((i) => i.state !== 'deleting').length);
const sessionsOf = (o: PoolObservation, now: Date) =>
  o.instances
    .filter((i) => ACTIVE.has(i.state) && i.sessions.hasData && (i.state !== 'running' || (i.sessions.lastSampleAt && now.getTime() - i.sessions.lastSampleAt.getTime() <= 5 * MINUTE)))
    .reduce((n, i) => n + i.sessions.latest, 0);
const removedRunning = (plan: ScalePlan, o: PoolObservation) =>
  // Parked VMs (deallocated) and VMs stopped past their grace hold no session: removing them is not a scale-in.
  [...plan.deallocate, ...plan.delete].filter((id) => !['deallocated', 'stopped'].includes(o.instances.find((i) => i.instanceId === id)!.state));

/** The pool one minute after the plan was carried out, with the same people on it. */
function afterPlan(o: PoolObservation, plan: ScalePlan, minutes: number): PoolObservation {
  const shift = (d: Date | undefined) => (d ? new Date(d.getTime() + minutes * MINUTE) : undefined);
  const instances = o.instances
    .filter((i) => !plan.delete.includes(i.instanceId))
    .map((i) => ({
      ...i,
      state: plan.deallocate.includes(i.instanceId) ? ('deallocated' as const) : i.state,
      sessions: { ...i.sessions, lastSampleAt: shift(i.sessions.lastSampleAt), lastBusyAt: i.sessions.latest > 0 ? shift(i.sessions.lastBusyAt) : i.sessions.lastBusyAt },
    }));
  return { ...o, instances, capacity: o.capacity - plan.delete.length };
}

const property = (name: string, check: (c: { policy: VmssPolicy; observation: PoolObservation; now: Date; history: ScaleHistory; plan: ScalePlan }) => void) =>
  it(name, () => {
    fc.assert(
      fc.property(caseArb, (c) => check({ ...c, plan: decide(c.policy, c.observation, c.now, c.history) })),
      { numRuns: RUNS, ...SEED },
    );
  });

describe(`decide() over ${RUNS} generated cases per property`, () => {
  property('never removes a VM that has a session, whose sessions are unknown, or that is not running', ({ policy, observation, now, plan }) => {
    for (const id of [...plan.deallocate, ...plan.delete]) {
      const vm = observation.instances.find((i) => i.instanceId === id)!;
      if (vm.state === 'deallocated' || vm.state === 'stopped') continue; // parked or powered off: no sessions possible
      expect(oracleIdle(vm, policy, now), `VM ${id} removed though not idle for the window`).toBe(true);
    }
  });

  property('never leaves the bounds: scale-out stays ≤ maxInstances and the step, scale-in stays ≥ every floor and the demand', ({ policy, observation, now, history, plan }) => {
    const active = activeOf(observation);
    if (plan.direction === 'out') {
      expect(plan.targetActive).toBeLessThanOrEqual(policy.maxInstances);
      expect(plan.targetActive - active).toBeLessThanOrEqual(policy.maxScaleOutStep);
      expect(plan.targetActive).toBeGreaterThan(active);
      if (plan.newCapacity !== undefined) expect(plan.newCapacity).toBeGreaterThan(observation.capacity);
    }
    if (active >= policy.maxInstances) expect(plan.direction).not.toBe('out');
    const removed = removedRunning(plan, observation);
    if (removed.length > 0) {
      const after = active - removed.length;
      const sessions = sessionsOf(observation, now);
      const demand = sessions > 0 ? Math.ceil((sessions + policy.spareSeats) / policy.seatsPerInstance) : 0;
      expect(after).toBeGreaterThanOrEqual(Math.min(demand, policy.maxInstances));
      for (let m = 0; m <= 15; m++) expect(after).toBeGreaterThanOrEqual(oracleFloor(policy, history, new Date(now.getTime() + m * MINUTE)) ?? 0);
    }
  });

  property('brings a pool below its floor back up unless a cooldown holds a non-empty pool or the scale set is busy', ({ policy, observation, now, history, plan }) => {
    const active = activeOf(observation);
    const floor = oracleFloor(policy, history, now) ?? 0;
    const cooling = history.lastScaleOutAt && now.getTime() - history.lastScaleOutAt.getTime() < policy.scaleOutCooldownMinutes * MINUTE;
    const busy = observation.provisioningState === 'Updating';
    if (active < floor && (active === 0 || !cooling) && !busy) expect(plan.direction).toBe('out');
    if (busy) expect([plan.direction, plan.start, plan.deallocate, plan.delete, plan.protect, plan.unprotect]).toEqual(['none', [], [], [], [], []]);
  });

  property('respects the cooldowns', ({ policy, observation, now, history, plan }) => {
    const since = (d?: Date) => (d ? now.getTime() - d.getTime() : Infinity);
    if (plan.direction === 'out' && activeOf(observation) > 0) {
      expect(since(history.lastScaleOutAt)).toBeGreaterThanOrEqual(policy.scaleOutCooldownMinutes * MINUTE);
    }
    if (removedRunning(plan, observation).length > 0) {
      expect(since(history.lastScaleInAt)).toBeGreaterThanOrEqual(policy.scaleInCooldownMinutes * MINUTE);
      expect(since(history.lastScaleOutAt)).toBeGreaterThanOrEqual(policy.scaleInCooldownMinutes * MINUTE);
    }
  });

  it('never plans a scale-in that a following tick (1–15 min later, same sessions) would reverse', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 15 }), ({ policy, observation, now, history }, minutes) => {
        const plan = decide(policy, observation, now, history);
        if (removedRunning(plan, observation).length === 0) return;
        const later = new Date(now.getTime() + minutes * MINUTE);
        const next = decide(policy, afterPlan(observation, plan, minutes), later, { ...history, lastScaleInAt: now });
        expect(next.direction, `${plan.reason} → then: ${next.reason}`).not.toBe('out');
      }),
      { numRuns: RUNS, ...SEED },
    );
  });

  property('scales to zero only when scaleToZero allows it and every VM was idle for the window', ({ policy, observation, now, history, plan }) => {
    const active = activeOf(observation);
    if (active > 0 && removedRunning(plan, observation).length === active) {
      expect(policy.scaleToZero).toBe(true);
      expect(oracleFloor(policy, history, now) ?? 0).toBe(0);
      for (const vm of observation.instances.filter((i) => ACTIVE.has(i.state))) expect(oracleIdle(vm, policy, now)).toBe(true);
    }
  });

  property('gives every plan a readable reason naming each instance it acts on', ({ plan }) => {
    expect(plan.reason.length).toBeGreaterThan(10);
    expect(plan.reason).not.toMatch(/undefined|NaN|Infinity|\[object/);
    for (const id of [...plan.start, ...plan.deallocate, ...plan.delete]) expect(plan.reason).toMatch(new RegExp(`\\b${id}\\b`));
  });

  property('protects busy VMs, unprotects only VMs idle for the window', ({ policy, observation, now, plan }) => {
    if (observation.provisioningState === 'Updating') return; // held: checked by the floor property
    const leaving = new Set([...plan.deallocate, ...plan.delete]);
    for (const vm of observation.instances) {
      const fresh = vm.sessions.lastSampleAt && now.getTime() - vm.sessions.lastSampleAt.getTime() <= 5 * MINUTE;
      if (vm.state === 'running' && fresh && vm.sessions.latest > 0 && !vm.protectFromScaleIn && !leaving.has(vm.instanceId)) {
        expect(plan.protect).toContain(vm.instanceId);
      }
      if (plan.unprotect.includes(vm.instanceId)) expect(oracleIdle(vm, policy, now)).toBe(true);
    }
    expect(plan.protect.filter((id) => plan.unprotect.includes(id))).toEqual([]);
  });

  property('starts deallocated VMs before it creates new ones', ({ observation, plan }) => {
    const startable = observation.instances.filter((i) => i.state === 'deallocated' || i.state === 'stopped').map((i) => i.instanceId);
    for (const id of plan.start) expect(startable).toContain(id);
    if (plan.newCapacity !== undefined) expect([...plan.start].sort()).toEqual([...startable].sort());
  });

  property('is pure: same input, same plan, inputs untouched', ({ policy, observation, now, history, plan }) => {
    const before = structuredClone({ policy, observation, now, history });
    expect(decide(policy, observation, now, history)).toEqual(plan);
    expect({ policy, observation, now, history }).toEqual(before);
  });
});
