// Reservations and waiting users: rows the connect path writes. Both expire by time, judged against `now` every time
// they are read; nothing ever flips a stored flag.
import type { SessionKind, ViewInstance } from './pool-view.js';

/** A seat held for a user on one VM until their session shows up in the VM's report, or until `expiresAt`. */
export interface Reservation {
  user: string;
  kind: SessionKind;
  /** ISO times. */
  reservedAt: string;
  expiresAt: string;
}

/** The reservations of one VM: one row per VM, written with its ETag so two connects can never both take its last seat. */
export interface VmSeats {
  instanceId: string;
  reservations: Reservation[];
  etag?: string;
}

/** A user who asked for a seat while none was free; they are demand for decide() until `expiresAt`. */
export interface WaitingUser {
  user: string;
  kind: SessionKind;
  since: string;
  expiresAt: string;
  /**
   * When a seat was promised (ISO), stored once per wait so a refresh never slides it forward; it moves only when
   * `expectedFor` (what the promise rests on) changes.
   */
  expectedReadyAt?: string;
  /** The promise rests on starting a stopped VM (`start`) or creating a new one (`create`). */
  expectedFor?: ExpectedFor;
}

export type ExpectedFor = 'start' | 'create';

/** Default minutes a placement holds a seat: a VM boot plus time to open the browser or SSH. */
export const RESERVATION_MINUTES = 10;
/** A waiting user who stops asking (closed the page) stops counting after this many minutes. */
export const WAITING_MINUTES = 5;

export const isLive = (r: { expiresAt: string }, now: Date): boolean => Date.parse(r.expiresAt) > now.getTime();

/** The reservation has been used: the VM reports a session of that user and kind. */
export function isConsumed(r: Reservation, vm: Pick<ViewInstance, 'sessions'> | undefined): boolean {
  return vm?.sessions.users.some((s) => s.user === r.user && s.kind === r.kind) ?? false;
}

/** Reservations that still hold a seat on `vm`: live and not yet consumed by a reported session. */
export function holding(seats: VmSeats | undefined, vm: Pick<ViewInstance, 'sessions'> | undefined, now: Date): Reservation[] {
  return (seats?.reservations ?? []).filter((r) => isLive(r, now) && !isConsumed(r, vm));
}
