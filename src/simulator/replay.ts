// Replays a trace against one controller on one VM model, in simulated time, event by event: arrivals and
// departures at their exact times, every lifecycle change the model announces, and a controller tick every
// minute. Pure given its inputs: no clock, no I/O, no randomness of its own.
import { ActionRecorder } from './action-recorder.js';
import type { Controller, PoolView } from './controller.js';
import { costOf, percentile, type Prices, type RunMetrics, type TimelinePoint } from './run-metrics.js';
import { SeatLedger } from './seat-ledger.js';
import type { Trace } from './trace.js';
import { BILLED_STATES, type VmPoolPort } from './vm-pool.port.js';

export interface ReplayOptions {
  seatsPerInstance: number;
  prices: Prices;
  /** Longest simulated step, for a model that cannot say when it changes next. Default: none (the model says). */
  maxStepMs?: number;
  /** Bucket of the chart timeline. Default 5 min. */
  timelineBucketMs?: number;
  /** A scale-out this soon after a scale-in counts as a flap. Default 10 min. */
  flapWindowMs?: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export function replay(trace: Trace, controller: Controller, model: VmPoolPort, options: ReplayOptions): RunMetrics {
  const { start: periodStart, end: periodEnd } = trace.period;
  const maxStep = options.maxStepMs ?? Infinity;
  const bucketMs = options.timelineBucketMs ?? 5 * MINUTE;
  const recorder = new ActionRecorder(options.flapWindowMs ?? 10 * MINUTE);
  const pool = recorder.wrap(model);
  const ledger = new SeatLedger();
  const acc = { billedMs: 0, runningMs: 0, deallocatedMs: 0, shortageMs: 0, overSeatMs: 0, killed: 0, sessions: 0 };
  const timeline: TimelinePoint[] = [];
  const reconnects = new Map<string, number>();

  const view = (): PoolView => {
    const connected = ledger.connectedCount;
    return { connectedSessions: connected, waitingUsers: ledger.size - connected };
  };
  const runningVms = (): number => pool.instances().filter((i) => i.state === 'running').length;
  const act = (now: number, f: () => void): void => {
    f();
    recorder.settle(now);
  };

  const collectKilled = (now: number): void => {
    for (const id of pool.drainKilled()) {
      const e = ledger.remove(id, now);
      if (!e) continue;
      acc.killed++;
      // The user lost their session and logs in again at once, for the rest of their planned time.
      if (e.plannedEnd > now) {
        const n = (reconnects.get(baseId(id)) ?? 0) + 1;
        reconnects.set(baseId(id), n);
        arrive(`${baseId(id)}#${n}`, e.kind, now, e.plannedEnd);
      }
    }
  };
  const users = new Map<string, string>();
  /** Connects a session: where the broker says (if the controller is one), else where the load balancer sends it. */
  const open = (now: number, sessionId: string, kind: Trace['sessions'][number]['kind'], arriving: boolean): boolean => {
    if (!controller.place) return pool.openSession(sessionId, kind) !== undefined;
    const user = users.get(baseId(sessionId)) ?? sessionId;
    let target: string | undefined;
    act(now, () => (target = controller.place?.(now, pool, { sessionId, user, kind }, arriving)));
    return target !== undefined && pool.openSessionOn(sessionId, kind, target);
  };
  const connectWaiting = (now: number): void => {
    for (const e of ledger.unconnected()) {
      if (open(now, e.sessionId, e.kind, false)) {
        e.connected = true;
        if (controller.place) ledger.seatNow(e.sessionId, now);
      } else if (!controller.place) return;
    }
  };
  const arrive = (sessionId: string, kind: Trace['sessions'][number]['kind'], now: number, plannedEnd: number): void => {
    const connected = open(now, sessionId, kind, true);
    ledger.add({ sessionId, kind, arrivedAt: now, plannedEnd, connected });
    // A broker seats a person where a seat is free (or beside their own session): the seat is theirs as they connect.
    if (connected && controller.place) ledger.seatNow(sessionId, now);
    if (!connected && controller.userWithoutVm) act(now, () => controller.userWithoutVm?.(now, pool, view()));
  };

  let now = periodStart;
  let nextTick = periodStart;
  let nextArrival = 0;
  let bucket: TimelinePoint = { t: periodStart, demand: 0, seats: 0, allocatedVms: 0 };
  pool.advanceTo(now);
  if (controller.init) act(now, () => controller.init?.(now, pool, view()));

  while (now < periodEnd) {
    // 1. Departures, then sessions lost with a VM, then users who can connect now, then arrivals.
    for (const id of ledger.endingBy(now)) {
      const e = ledger.remove(id, now);
      if (e?.connected) pool.closeSession(id);
    }
    collectKilled(now);
    connectWaiting(now);
    while (nextArrival < trace.sessions.length && (trace.sessions[nextArrival]?.start ?? Infinity) <= now) {
      const s = trace.sessions[nextArrival] as Trace['sessions'][number];
      acc.sessions++;
      users.set(String(nextArrival), s.user);
      arrive(String(nextArrival), s.kind, now, s.end);
      nextArrival++;
    }
    // 2. The controller's minute.
    if (now >= nextTick) {
      act(now, () => controller.tick(now, pool, view()));
      nextTick += MINUTE;
    }
    collectKilled(now);
    connectWaiting(now);
    const running = runningVms();
    // Without a broker the load balancer knows no seats: the pool's seats go first come, first served.
    if (!controller.place) ledger.seat(running * options.seatsPerInstance, now);

    // 3. Step to the next thing that happens and account for the interval in between.
    const next = Math.min(
      trace.sessions[nextArrival]?.start ?? Infinity,
      ledger.nextEnd(),
      nextTick,
      Math.max(pool.nextChangeAt() ?? Infinity, now + 1),
      now + maxStep,
      periodEnd,
    );
    const dt = next - now;
    let billed = 0;
    let deallocated = 0;
    let overSeats = 0;
    for (const i of pool.instances()) {
      if (BILLED_STATES.has(i.state)) billed++;
      else if (i.state === 'deallocated') deallocated++;
      if (i.state === 'running') overSeats += Math.max(0, i.sessions - options.seatsPerInstance);
    }
    const seats = running * options.seatsPerInstance;
    acc.billedMs += billed * dt;
    acc.runningMs += running * dt;
    acc.deallocatedMs += deallocated * dt;
    acc.shortageMs += Math.max(0, ledger.size - seats) * dt;
    acc.overSeatMs += overSeats * dt;
    if (now - bucket.t >= bucketMs) {
      timeline.push(bucket);
      bucket = { t: bucket.t + Math.floor((now - bucket.t) / bucketMs) * bucketMs, demand: 0, seats: 0, allocatedVms: 0 };
    }
    bucket.demand = Math.max(bucket.demand, ledger.size);
    bucket.seats = Math.max(bucket.seats, seats);
    bucket.allocatedVms = Math.max(bucket.allocatedVms, billed);
    pool.advanceTo(next);
    now = next;
  }
  timeline.push(bucket);
  // Sessions still open at the end of the period: their wait so far counts if they never had a seat.
  for (const id of ledger.endingBy(Infinity)) ledger.remove(id, periodEnd);

  const waitsMs = ledger.waits.map((w) => w.waitMs);
  const vmHours = acc.billedMs / HOUR;
  const deallocatedVmHours = acc.deallocatedMs / HOUR;
  return {
    policy: controller.name,
    vmHours,
    runningVmHours: acc.runningMs / HOUR,
    deallocatedVmHours,
    cost: costOf(vmHours, deallocatedVmHours, options.prices),
    sessions: acc.sessions,
    waits: {
      p50Seconds: percentile(waitsMs, 50) / 1000,
      p95Seconds: percentile(waitsMs, 95) / 1000,
      maxSeconds: Math.max(0, ...waitsMs) / 1000,
      waited: waitsMs.filter((w) => w > 0).length,
      neverSeated: ledger.waits.filter((w) => w.neverSeated).length,
    },
    killedSessions: acc.killed,
    seatShortageSessionHours: acc.shortageMs / HOUR,
    overSeatSessionHours: acc.overSeatMs / HOUR,
    scaleActions: { ...recorder.scaleActions },
    vmOperations: { ...recorder.operations },
    flaps: recorder.flaps,
    timeline,
  };
}

function baseId(sessionId: string): string {
  return sessionId.split('#')[0] as string;
}
