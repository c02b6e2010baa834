// Factories for policies, instances and observations: readable defaults, override what the test is about.
import fc from 'fast-check';
import { parseVmssPolicy, type VmssPolicy, type VmssPolicyInput } from '../../../src/autoscale/policy.js';
import type {
  InstanceObservation,
  InstanceSessions,
  InstanceState,
  PoolObservation,
  ScaleHistory,
} from '../../../src/autoscale/observation.js';
import type { ScheduleWindow } from '../../../src/autoscale/schedule.js';
import { WEEKDAYS } from '../../../src/autoscale/schedule.js';

export const TARGET = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/pool';
export const NOW = new Date('2026-03-02T10:00:00Z'); // a Monday
const MINUTE = 60_000;

export const minutesBefore = (now: Date, minutes: number) => new Date(now.getTime() - minutes * MINUTE);

/**
 * The worked examples are written for a pool that holds 2 spare seats, waits 20 idle minutes and parks up to 10
 * deallocated VMs (the defaults before the simulator's study changed them); the defaults themselves are checked
 * in policy.test.ts, and the property tests generate every value.
 */
const EXAMPLE_POOL: Partial<VmssPolicyInput> = { spareSeats: 2, idleMinutesBeforeScaleIn: 20, maxDeallocated: 10 };

export function policy(overrides: Partial<VmssPolicyInput> = {}): VmssPolicy {
  const parsed = parseVmssPolicy({ kind: 'vmss', target: TARGET, ...EXAMPLE_POOL, ...overrides });
  if (!parsed.ok) throw new Error(`bad test policy: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

/** Sessions of a VM that has reported every minute for `reportedMinutes`, busy until `busyMinutesAgo` (if given). */
export function sessions(o: { latest?: number; idleMinutes?: number; reportedMinutes?: number; now?: Date } = {}): InstanceSessions {
  const now = o.now ?? NOW;
  const latest = o.latest ?? 0;
  const reported = o.reportedMinutes ?? 60;
  const lastBusyAt = latest > 0 ? minutesBefore(now, 1) : o.idleMinutes !== undefined && o.idleMinutes < reported ? minutesBefore(now, o.idleMinutes + 1) : undefined;
  return {
    hasData: true,
    latest,
    maxInWindow: lastBusyAt ? Math.max(latest, 1) : 0,
    firstSampleAt: minutesBefore(now, reported),
    lastSampleAt: minutesBefore(now, 1),
    lastBusyAt,
  };
}

export const NO_DATA: InstanceSessions = { hasData: false, latest: 0, maxInWindow: 0 };

export function vm(instanceId: string | number, o: Partial<InstanceObservation> & { latest?: number; idleMinutes?: number } = {}): InstanceObservation {
  const { latest, idleMinutes, ...rest } = o;
  return {
    instanceId: String(instanceId),
    state: 'running',
    protectFromScaleIn: false,
    sessions: rest.state && rest.state !== 'running' ? NO_DATA : sessions({ latest, idleMinutes }),
    ...rest,
  };
}

export function observation(instances: InstanceObservation[], o: Partial<PoolObservation> = {}): PoolObservation {
  const listed = instances.filter((i) => i.state !== 'deleting').length;
  return { pool: 'pool', capacity: listed, provisioningState: 'Succeeded', instances, ...o };
}

// ---- fast-check arbitraries -------------------------------------------------------------------------------

export const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Auckland'];
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

/** Local "HH:MM" of `now` plus some minutes, so windows that are about to start are generated often. */
function localHhmm(now: Date, timeZone: string, plusMinutes: number): string {
  const t = new Date(now.getTime() + plusMinutes * MINUTE);
  return t.toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export const scheduleArb = (maxInstances: number, now: Date): fc.Arbitrary<ScheduleWindow> =>
  fc
    .record({
      days: fc.oneof(fc.subarray([...WEEKDAYS], { minLength: 1 }), fc.constant<ScheduleWindow['days']>([...WEEKDAYS])),
      from: hhmm,
      to: hhmm,
      timeZone: fc.constantFrom(...TIME_ZONES),
      minInstances: fc.integer({ min: 0, max: maxInstances }),
    })
    .chain((w) =>
      fc.oneof(
        fc.constant(w),
        fc.integer({ min: -5, max: 25 }).map((m) => ({ ...w, from: localHhmm(now, w.timeZone, m) })),
      ),
    )
    .filter((w) => w.from !== w.to);

export const policyArb = (now: Date): fc.Arbitrary<VmssPolicy> =>
  fc
  .record({
    minInstances: fc.integer({ min: 0, max: 4 }),
    extra: fc.integer({ min: 0, max: 12 }),
    seatsPerInstance: fc.integer({ min: 1, max: 6 }),
    spareSeats: fc.integer({ min: 0, max: 8 }),
    idleMinutesBeforeScaleIn: fc.integer({ min: 5, max: 60 }),
    scaleToZero: fc.boolean(),
    scaleInAction: fc.constantFrom('deallocate' as const, 'delete' as const),
    scaleOutCooldownMinutes: fc.integer({ min: 0, max: 15 }),
    scaleInCooldownMinutes: fc.integer({ min: 0, max: 30 }),
    maxScaleOutStep: fc.integer({ min: 1, max: 6 }),
    wakeHoldMinutes: fc.integer({ min: 1, max: 60 }),
    maxDeallocated: fc.integer({ min: 0, max: 8 }),
  })
  .chain(({ extra, ...p }) => {
    const maxInstances = p.minInstances + extra + 1;
    return fc.array(scheduleArb(maxInstances, now), { maxLength: 3 }).map((schedules) => policy({ ...p, maxInstances, schedules }));
  });

const STATES: InstanceState[] = ['running', 'running', 'running', 'running', 'creating', 'starting', 'deallocated', 'deallocated', 'deallocating', 'stopped', 'deleting', 'failed'];

/** Sessions over a window of up to 90 minutes before `now`, sometimes missing, stale or busy. */
const sessionsArb = (now: Date): fc.Arbitrary<InstanceSessions> =>
  fc.oneof(
    fc.constant(NO_DATA),
    fc
      .record({
        reported: fc.integer({ min: 1, max: 90 }),
        staleness: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 12 })),
        latest: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
        busyAgo: fc.option(fc.integer({ min: 1, max: 90 })),
      })
      .map(({ reported, staleness, latest, busyAgo }) => {
        const last = Math.min(staleness, reported);
        const busy = latest > 0 ? last : busyAgo !== null && busyAgo <= reported ? Math.max(busyAgo, last + 1) : undefined;
        return {
          hasData: true,
          latest,
          maxInWindow: busy !== undefined ? Math.max(latest, 1) : 0,
          firstSampleAt: minutesBefore(now, reported),
          lastSampleAt: minutesBefore(now, last),
          lastBusyAt: busy !== undefined ? minutesBefore(now, busy) : undefined,
        };
      }),
  );

/** DST changes of the generated time zones in 2026, so clocks land on and around them often. */
const DST_CHANGES = ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-04-05T14:00:00Z', '2026-04-04T15:00:00Z', '2026-09-27T14:00:00Z', '2026-10-04T16:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'].map((s) => new Date(s).getTime());

export const nowArb = fc.oneof(
  fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T23:59:00Z'), noInvalidDate: true }),
  fc.tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -600, max: 600 })).map(([t, m]) => new Date(t + m * MINUTE)),
);

export const observationArb = (now: Date): fc.Arbitrary<PoolObservation> =>
  fc
    .tuple(
      fc.array(fc.record({ state: fc.constantFrom(...STATES), protectFromScaleIn: fc.boolean(), sessions: sessionsArb(now) }), { maxLength: 20 }),
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'Updating'),
    )
    .map(([list, notYetListed, provisioningState]) => {
      const instances = list.map((i, n) => ({ instanceId: String(n), ...i }));
      return observation(instances, { capacity: instances.filter((i) => i.state !== 'deleting').length + notYetListed, provisioningState });
    });

export const historyArb = (now: Date): fc.Arbitrary<ScaleHistory> =>
  fc.record(
    {
      lastScaleOutAt: fc.integer({ min: 0, max: 60 }).map((m) => minutesBefore(now, m)),
      lastScaleInAt: fc.integer({ min: 0, max: 60 }).map((m) => minutesBefore(now, m)),
      lastWakeAt: fc.integer({ min: 0, max: 90 }).map((m) => minutesBefore(now, m)),
    },
    { requiredKeys: [] },
  );

/** A whole decide() input: policy, observation, clock and history generated together. */
export const caseArb = nowArb.chain((now) =>
  fc.record({ policy: policyArb(now), now: fc.constant(now), observation: observationArb(now), history: historyArb(now) }),
);
