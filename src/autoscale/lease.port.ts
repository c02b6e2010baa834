// Mutual exclusion per pool: the timer, a wake request and a second app instance never evaluate one pool at once.
// Expiry is judged from time, so a crashed holder never blocks a pool for longer than the lease duration.
export interface Lease {
  pool: string;
  holder: string;
  expiresAt: Date;
  /** Opaque version the adapter needs to release exactly this lease. */
  version: string;
}

export interface LeasePort {
  /** Takes the pool's lease if it is free or expired at `now`; undefined when someone else holds it. */
  acquire(pool: string, holder: string, now: Date, durationMs: number): Promise<Lease | undefined>;
  /** Gives the lease back; a lease that was taken over meanwhile is left alone. */
  release(lease: Lease): Promise<void>;
}
