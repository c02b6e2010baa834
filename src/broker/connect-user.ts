// The connect use case: read the pool's partition once, place the user, write one reservation with the ETag read.
// Only when no seat is free does it queue the user and trigger an evaluation, then place again from the new view.
import { BrokerError } from './errors.js';
import type { BrokerStore, PoolPartition } from './broker-store.port.js';
import { place, type Placement, type SeatRequest } from './place.js';
import type { PoolView } from './pool-view.js';
import { isLive, WAITING_MINUTES, type Reservation, type VmSeats } from './reservation.js';

const MINUTE = 60_000;
/** Seats-row races lost before giving up (each loser re-reads and places again). */
const MAX_CONFLICTS = 60;
/**
 * Re-reads of the partition while an evaluation another caller started runs (it writes the view when done): 15 × 1 s
 * outlasts its settling window (SETTLE_MAX_MS, 10 s) plus the evaluation itself.
 */
const VIEW_POLLS = 15;
const VIEW_POLL_MS = 1_000;
/** Evaluations one connect may trigger (more only when the previous one found the lease taken). */
const MAX_EVALUATIONS = 4;
const VIEW_STALE_MS = 60_000;

export interface ConnectDeps {
  store: BrokerStore;
  now: () => Date;
  /**
   * Runs an evaluation of the pool at once (the caller found no free seat). 'busy' when another evaluation holds the
   * pool's lease; it will write the view when it ends. `settle`: the first evaluation of a connect counts the people
   * asking at the same moment too (a settling window before it reads the waiting rows; settle-waiting.ts).
   */
  evaluate: (pool: string, options?: { settle?: boolean }) => Promise<{ outcome: string; error?: { code: string; message: string } }>;
  sleep?: (ms: number) => Promise<void>;
  /** Throws (POOL_NOT_FOUND, POOL_DISABLED, POLICY_INVALID) when the pool cannot seat anyone; asked before anything is written for a pool without a view. */
  ensurePool?: (pool: string) => Promise<void>;
}

export interface ConnectResult {
  placement: Placement;
  view?: PoolView;
  /** The reservation written or already held, for a placement. */
  reservation?: Reservation;
  /** Storage reads and writes this connect made (the bench's figure). */
  storageOperations: number;
  /** An evaluation was triggered because no seat was free. */
  evaluated: boolean;
}

export async function connectUser(deps: ConnectDeps, pool: string, request: SeatRequest): Promise<ConnectResult> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let ops = 0;
  let evaluated = false;
  // The person is on the waiting list (written once): separate from `evaluated`, since a stale view's refresh evaluates
  // before anyone is queued.
  let queued = false;
  let polls = 0;
  let evaluations = 0;
  let lastOutcome = '';
  // The view as read when this connect last asked for an evaluation: a different one means an evaluation since wrote it.
  let viewAsked: string | undefined;
  // Why the stored promise moved, seen on the first read (later reads find the new promise already stored).
  let moved: string | undefined;
  for (let conflicts = 0; conflicts <= MAX_CONFLICTS; ) {
    const now = deps.now();
    const partition = await deps.store.read(pool);
    ops++;
    const placement = place(partition.view, partition.seats, partition.waiting, request, now);
    // A seat on a VM the view still shows as starting, in a view older than a timer tick: refresh the view once (an
    // evaluation) before promising a wait. Never on the free-seat path.
    if (placement.outcome === 'placed' && !placement.ready && !evaluated && isStale(partition.view, now)) {
      evaluated = true;
      evaluations++;
      viewAsked = viewKey(partition);
      lastOutcome = (await deps.evaluate(pool)).outcome;
      continue;
    }
    if (placement.outcome === 'placed') {
      let reservation = heldBy(partition, placement.instanceId, request, now);
      if (placement.reserve) {
        reservation = newReservation(request, now, partition.view?.reservationMinutes ?? 10);
        try {
          await deps.store.writeSeats(pool, withReservation(partition, placement.instanceId, reservation, now));
          ops++;
        } catch (e) {
          ops++;
          if ((e as { code?: string }).code !== 'SEAT_CONFLICT') throw e;
          conflicts++;
          await sleep(Math.random() * 20 * Math.min(conflicts, 5));
          continue;
        }
      }
      if (partition.waiting.some((w) => w.user === request.user)) {
        await deps.store.removeWaiting(pool, request.user).catch(() => undefined);
        ops++;
      }
      return { placement, view: partition.view, reservation, storageOperations: ops, evaluated };
    }
    if (placement.why === 'scale-set-missing') return { placement, view: partition.view, storageOperations: ops, evaluated };
    moved ??= placement.estimateMoved;
    if (!queued) {
      if (!partition.view) await deps.ensurePool?.(pool);
      // Demand at once: the queue row counts for decide(), and the evaluation runs now rather than at the next tick.
      // The promise is stored with the wait: the next ask finds it and keeps it (place() moves it only for a reason).
      const promise = placement.estimatedReadyAt ? { expectedReadyAt: placement.estimatedReadyAt.toISOString(), expectedFor: placement.expectedFor } : {};
      await deps.store.writeWaiting(pool, { user: request.user, kind: request.kind, since: waitingSince(partition, request, now), expiresAt: new Date(now.getTime() + WAITING_MINUTES * MINUTE).toISOString(), ...promise });
      ops++;
      queued = true;
      evaluated = true;
      evaluations++;
      viewAsked = viewKey(partition);
      // Settle only when a VM can be added for them: at the maximum or on a stuck scale set nothing would be.
      lastOutcome = (await deps.evaluate(pool, { settle: placement.why === 'no-free-seat' || placement.why === 'no-view' })).outcome;
      continue;
    }
    // Another evaluation held the lease: it writes the view when it ends. Read again until it has (the view changed),
    // then evaluate again if still needed; after VIEW_POLLS unchanged reads, evaluate again anyway.
    if (lastOutcome === 'busy' && viewKey(partition) === viewAsked) {
      if (polls++ < VIEW_POLLS) {
        await sleep(VIEW_POLL_MS);
        continue;
      }
      if (evaluations < MAX_EVALUATIONS) {
        evaluations++;
        polls = 0;
        viewAsked = viewKey(partition);
        lastOutcome = (await deps.evaluate(pool)).outcome;
        continue;
      }
    } else if (placement.why === 'no-free-seat' && evaluations < MAX_EVALUATIONS) {
      // The evaluation ran, but others asking at the same moment took the seats it added (or it ran before this user
      // queued): again. While the scale set is still busy with the last operation this one adds nothing.
      evaluations++;
      polls = 0;
      viewAsked = viewKey(partition);
      lastOutcome = (await deps.evaluate(pool)).outcome;
      continue;
    }
    const said = moved && !placement.estimateMoved && placement.estimatedReadyAt ? { ...placement, estimateMoved: moved } : placement;
    // A promise made only now (the first read had no view to promise from) is stored, so the next ask keeps it.
    const mine = partition.waiting.find((w) => w.user === request.user && isLive(w, now));
    if (mine && placement.estimatedReadyAt && mine.expectedReadyAt !== placement.estimatedReadyAt.toISOString()) {
      await deps.store.writeWaiting(pool, { ...mine, expectedReadyAt: placement.estimatedReadyAt.toISOString(), expectedFor: placement.expectedFor });
      ops++;
    }
    return { placement: said, view: partition.view, storageOperations: ops, evaluated };
  }
  throw new BrokerError('BROKER_BUSY', `Too many people asked for a seat in pool "${pool}" at the same moment; try again in a few seconds.`, { retryAfterSeconds: 2 });
}

/** What identifies the view an evaluation wrote: its row's ETag (under a simulated clock two views may carry the same writtenAt). */
function viewKey(p: PoolPartition): string {
  return p.viewEtag ?? JSON.stringify(p.view ?? null);
}

/** The view is older than one autoscale tick (the timer runs every minute). */
function isStale(view: PoolView | undefined, now: Date): boolean {
  return view !== undefined && now.getTime() - Date.parse(view.writtenAt) > VIEW_STALE_MS;
}

function newReservation(request: SeatRequest, now: Date, minutes: number): Reservation {
  return { user: request.user, kind: request.kind, reservedAt: now.toISOString(), expiresAt: new Date(now.getTime() + minutes * MINUTE).toISOString() };
}

/** The VM's seats row with the new reservation, dropping expired ones and the user's older one of that kind. */
function withReservation(p: PoolPartition, instanceId: string, r: Reservation, now: Date): VmSeats {
  const row = p.seats.find((s) => s.instanceId === instanceId);
  const kept = (row?.reservations ?? []).filter((x) => isLive(x, now) && !(x.user === r.user && x.kind === r.kind));
  return { instanceId, reservations: [...kept, r], ...(row?.etag ? { etag: row.etag } : {}) };
}

function heldBy(p: PoolPartition, instanceId: string, request: SeatRequest, now: Date): Reservation | undefined {
  return p.seats.find((s) => s.instanceId === instanceId)?.reservations.find((r) => r.user === request.user && r.kind === request.kind && isLive(r, now));
}

/** A user already queued keeps their place. */
function waitingSince(p: PoolPartition, request: SeatRequest, now: Date): string {
  const mine = p.waiting.find((w) => w.user === request.user && isLive(w, now));
  return mine?.since ?? now.toISOString();
}
