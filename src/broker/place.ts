// place(): the pure heart of the broker. Given the pool view, the reservations, the people waiting, a request and the
// time, it answers where the user goes (and whether a seat must be reserved), or their place in the queue with an
// honest estimate. No I/O and no clock, like decide(): the simulator and property tests call it directly.
import { isStuck } from '../autoscale/scale-set-busy.js';
import { EXPECTED_CREATE_MINUTES, EXPECTED_START_MINUTES } from '../autoscale/wake-pool.js';
import { SEATING_STATES, type Endpoint, type PoolView, type SessionKind, type ViewInstance } from './pool-view.js';
import { holding, isLive, type ExpectedFor, type VmSeats, type WaitingUser } from './reservation.js';

const MINUTE = 60_000;
/** A creating or starting VM this long past its expected ready time is stuck in an operation: no promise on it. */
export const STUCK_AFTER_MINUTES = 10;

export interface SeatRequest {
  user: string;
  kind: SessionKind;
}

export type Placement =
  | {
      outcome: 'placed';
      instanceId: string;
      /** Why this VM: the user's own VM, their live reservation, or the pool's placement rule. */
      by: 'affinity' | 'reservation' | 'depth-first' | 'breadth-first';
      /** The VM runs now; otherwise it is creating or starting and `readyAt` says when it should run (may be past: late). */
      ready: boolean;
      readyAt: Date;
      endpoint?: Endpoint;
      /** A new reservation must be written for this placement (false when the user already holds a seat there). */
      reserve: boolean;
    }
  | {
      outcome: 'wait';
      /** 1 = next to get a seat. */
      position: number;
      /**
       * When a seat should exist, if one is coming; absent when nothing can be promised (why says so). Kept from the
       * user's waiting row while what it rests on (`expectedFor`) is unchanged, so it never slides on a refresh.
       */
      estimatedReadyAt?: Date;
      expectedFor?: ExpectedFor;
      /** The promise moved since the user's last ask, and why (in words). */
      estimateMoved?: string;
      /** `scale-set-stuck`: busy with an operation (Updating…) longer than STUCK_UPDATING_MINUTES; since when (ISO). */
      busySince?: string;
      why: 'no-free-seat' | 'pool-at-maximum' | 'scale-set-missing' | 'scale-set-stuck' | 'no-view';
    };

/** Seats in use on a VM: reported sessions (all of them when unknown) plus reservations still holding a seat. */
export function seatsUsed(view: PoolView, vm: ViewInstance, seats: VmSeats | undefined, now: Date): number {
  const held = holding(seats, vm, now).length;
  if (vm.state !== 'running') return held;
  if (!vm.sessions.known) return Math.max(view.seatsPerInstance, vm.sessions.count + held);
  return vm.sessions.count + held;
}

/** A VM nobody new may be placed on: leaving, draining, not coming, or stuck in an operation. */
export function isClosed(vm: ViewInstance, now: Date): boolean {
  if (!SEATING_STATES.has(vm.state) || vm.draining || vm.removing) return true;
  return vm.state !== 'running' && vm.readyAt !== undefined && now.getTime() - Date.parse(vm.readyAt) > STUCK_AFTER_MINUTES * MINUTE;
}

export function place(view: PoolView | undefined, seats: readonly VmSeats[], waiting: readonly WaitingUser[], request: SeatRequest, now: Date): Placement {
  if (!view) return { outcome: 'wait', position: positionOf(waiting, request, now), why: 'no-view' };
  if (view.scaleSet.missing) return { outcome: 'wait', position: positionOf(waiting, request, now), why: 'scale-set-missing' };
  const seatsOf = new Map(seats.map((s) => [s.instanceId, s]));
  // A scale set stuck in an operation starts nothing: only VMs that run now are a place for anyone.
  const busySince = view.scaleSet.busySince;
  const stuck = busySince !== undefined && isStuck(new Date(busySince), now);
  const open = view.instances.filter((vm) => !isClosed(vm, now) && (!stuck || vm.state === 'running'));
  const placed = (vm: ViewInstance, by: Extract<Placement, { outcome: 'placed' }>['by'], reserve: boolean): Placement => ({
    outcome: 'placed',
    instanceId: vm.instanceId,
    by,
    ready: vm.state === 'running',
    // The time stored with the VM's start, even once passed: a late VM is said to be late, not promised "now" again.
    readyAt: vm.state === 'running' || !vm.readyAt ? now : new Date(vm.readyAt),
    endpoint: vm.endpoints[request.kind],
    reserve,
  });

  // 1. Affinity: back to the VM where the user has a session; else where a seat is held for them.
  const heldOn = (vm: ViewInstance) => (seatsOf.get(vm.instanceId)?.reservations ?? []).filter((r) => r.user === request.user && isLive(r, now));
  const home = open.find((vm) => vm.sessions.users.some((s) => s.user === request.user));
  if (home) {
    const sameKind = home.sessions.users.some((s) => s.user === request.user && s.kind === request.kind) || heldOn(home).some((r) => r.kind === request.kind);
    return placed(home, 'affinity', !sameKind);
  }
  const reserved = open.find((vm) => heldOn(vm).length > 0);
  if (reserved) {
    const sameKind = heldOn(reserved).some((r) => r.kind === request.kind);
    return placed(reserved, sameKind ? 'reservation' : 'affinity', !sameKind);
  }
  // 2. The placement rule over VMs with a free seat; running VMs first, then the one coming soonest.
  const free = open
    .map((vm) => ({ vm, used: seatsUsed(view, vm, seatsOf.get(vm.instanceId), now) }))
    .filter((c) => c.used < view.seatsPerInstance);
  const rank = (c: { vm: ViewInstance; used: number }) => [
    c.vm.state === 'running' ? 0 : 1,
    c.vm.state === 'running' ? 0 : Date.parse(c.vm.readyAt ?? '') || 0,
    view.placement === 'breadth-first' ? c.used : -c.used,
    Number(c.vm.instanceId),
  ];
  free.sort((a, b) => compare(rank(a), rank(b)));
  const best = free[0];
  if (best) return placed(best.vm, view.placement, true);

  // 3. No free seat: a place in the queue, and when a seat could exist.
  const position = positionOf(waiting, request, now);
  if (stuck) return { outcome: 'wait', position, why: 'scale-set-stuck', busySince };
  const active = view.instances.filter((vm) => SEATING_STATES.has(vm.state)).length;
  if (active >= view.maxInstances) return { outcome: 'wait', position, why: 'pool-at-maximum' };
  const startable = view.instances.some((vm) => vm.state === 'deallocated' || vm.state === 'stopped');
  const expectedFor: ExpectedFor = startable ? 'start' : 'create';
  const mine = waiting.find((w) => w.user === request.user && isLive(w, now));
  if (mine?.expectedReadyAt && mine.expectedFor === expectedFor) {
    return { outcome: 'wait', position, estimatedReadyAt: new Date(mine.expectedReadyAt), expectedFor, why: 'no-free-seat' };
  }
  const minutes = startable ? EXPECTED_START_MINUTES : EXPECTED_CREATE_MINUTES;
  const estimatedReadyAt = new Date(now.getTime() + minutes * MINUTE);
  const estimateMoved = mine?.expectedReadyAt ? MOVED_BECAUSE[expectedFor] : undefined;
  return { outcome: 'wait', position, estimatedReadyAt, expectedFor, ...(estimateMoved ? { estimateMoved } : {}), why: 'no-free-seat' };
}

/** Why a stored promise moved, by what the new one rests on. */
const MOVED_BECAUSE: Record<ExpectedFor, string> = {
  start: `a stopped VM can now be started for you, which takes about ${EXPECTED_START_MINUTES} minutes`,
  create: `no stopped VM is left to start, so a new VM must be created, which takes about ${EXPECTED_CREATE_MINUTES} minutes`,
};

/**
 * 1 + live waiting users who asked before this one (everyone live, when this user is not queued yet). People who asked
 * in the same millisecond are ordered by user name, so each has a place of their own.
 */
export function positionOf(waiting: readonly WaitingUser[], request: SeatRequest, now: Date): number {
  const live = waiting.filter((w) => isLive(w, now));
  const mine = live.find((w) => w.user === request.user);
  if (!mine) return live.filter((w) => w.user !== request.user).length + 1;
  const before = (w: WaitingUser) => Date.parse(w.since) - Date.parse(mine.since) || (w.user < mine.user ? -1 : 1);
  return live.filter((w) => w.user !== request.user && before(w) < 0).length + 1;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}
