// The broker's storage: one partition per pool holding the pool view, one seats row per VM and one row per waiting
// user. A connect reads the partition once and writes one row; every write is conditional on the ETag it read.
import type { PoolView } from './pool-view.js';
import type { VmSeats, WaitingUser } from './reservation.js';

export interface PoolPartition {
  view?: PoolView;
  /** The view row's ETag: a new one each time an evaluation writes the view, even with the same content. */
  viewEtag?: string;
  seats: VmSeats[];
  waiting: WaitingUser[];
}

export interface CallOptions {
  abortSignal?: AbortSignal;
}

/** Storage of the broker's rows. Errors: BrokerError SEAT_CONFLICT when an ETag no longer matches (someone wrote first). */
export interface BrokerStore {
  /** The pool's view, seats rows and waiting rows: one partition query. */
  read(pool: string, options?: CallOptions): Promise<PoolPartition>;
  /** Writes one VM's seats row: created when `etag` is absent (SEAT_CONFLICT if it exists), else replaced if unchanged. */
  writeSeats(pool: string, seats: VmSeats, options?: CallOptions): Promise<void>;
  /** Records (or refreshes) a waiting user. */
  writeWaiting(pool: string, waiting: WaitingUser, options?: CallOptions): Promise<void>;
  /** Forgets a waiting user (idempotent). */
  removeWaiting(pool: string, user: string, options?: CallOptions): Promise<void>;
  /** Replaces the pool view (the evaluation holding the pool's lease is its only writer). */
  writeView(view: PoolView, options?: CallOptions): Promise<void>;
  /** Deletes seats rows of VMs that no longer exist (idempotent). */
  removeSeats(pool: string, instanceIds: readonly string[], options?: CallOptions): Promise<void>;
}
