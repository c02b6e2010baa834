// Who has a seat. The load balancer does not know seats, so it may put a fifth session on a 4-seat VM while
// another VM is empty; seats are therefore counted for the whole pool: running VMs × seatsPerInstance. Sessions
// get seats first come, first served. A broker knows seats: a session it connects has its seat then (seatNow). A session's seat wait runs from the user's arrival until the first moment
// the pool has a seat for it (for users who found no running VM, that includes the time before they could
// connect at all). Over-subscription after that is measured separately, as seat-shortage session-hours.
import type { SessionKind } from '../autoscale/session-metric.js';

export interface LedgerEntry {
  sessionId: string;
  kind: SessionKind;
  arrivedAt: number;
  /** Planned end from the trace: a user who waited still leaves at that time. */
  plannedEnd: number;
  connected: boolean;
  seatedAt?: number;
}

export interface SeatWait {
  sessionId: string;
  waitMs: number;
  /** The session ended (or was killed) before the pool ever had a seat for it. */
  neverSeated: boolean;
}

export class SeatLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  /** Unseated session ids in arrival order. */
  private queue: string[] = [];
  private seatedCount = 0;
  readonly waits: SeatWait[] = [];

  add(entry: Omit<LedgerEntry, 'seatedAt'>): void {
    this.entries.set(entry.sessionId, { ...entry });
    this.queue.push(entry.sessionId);
  }

  get(sessionId: string): LedgerEntry | undefined {
    return this.entries.get(sessionId);
  }

  /** Ends a session (departure or kill) and records its wait if it never had a seat. */
  remove(sessionId: string, now: number): LedgerEntry | undefined {
    const e = this.entries.get(sessionId);
    if (!e) return undefined;
    this.entries.delete(sessionId);
    if (e.seatedAt === undefined) {
      this.queue = this.queue.filter((id) => id !== sessionId);
      this.waits.push({ sessionId, waitMs: now - e.arrivedAt, neverSeated: true });
    } else {
      this.seatedCount--;
    }
    return e;
  }

  /** Gives free seats to the longest-waiting sessions. */
  seat(seatCapacity: number, now: number): void {
    while (this.queue.length > 0 && this.seatedCount < seatCapacity) {
      const id = this.queue.shift() as string;
      const e = this.entries.get(id) as LedgerEntry;
      e.seatedAt = now;
      this.seatedCount++;
      this.waits.push({ sessionId: id, waitMs: now - e.arrivedAt, neverSeated: false });
    }
  }

  /**
   * Seats one session now, whoever waits longer: a broker places a person only on a free seat (or beside their own
   * session), so with a broker a session has its seat the moment it connects.
   */
  seatNow(sessionId: string, now: number): void {
    const e = this.entries.get(sessionId);
    if (!e || e.seatedAt !== undefined) return;
    this.queue = this.queue.filter((id) => id !== sessionId);
    e.seatedAt = now;
    this.seatedCount++;
    this.waits.push({ sessionId, waitMs: now - e.arrivedAt, neverSeated: false });
  }

  unconnected(): LedgerEntry[] {
    return [...this.entries.values()].filter((e) => !e.connected);
  }

  /** Session ids whose planned end is at or before `now`. */
  endingBy(now: number): string[] {
    return [...this.entries.values()].filter((e) => e.plannedEnd <= now).map((e) => e.sessionId);
  }

  nextEnd(): number {
    let next = Infinity;
    for (const e of this.entries.values()) next = Math.min(next, e.plannedEnd);
    return next;
  }

  get size(): number {
    return this.entries.size;
  }

  get connectedCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.connected) n++;
    return n;
  }
}
