// The pool view: what each evaluation writes for the broker to read (one row per pool), so a connect reads one row
// and never calls ARM. Plain data; the broker judges every time it holds against `now` itself.
import type { InstanceState } from '../autoscale/observation.js';
import type { SessionKind } from '../autoscale/session-metric.js';

export type { SessionKind } from '../autoscale/session-metric.js';

/** `depth-first` (default): the fullest VM with a free seat; `breadth-first`: the emptiest. */
export type PlacementRule = 'depth-first' | 'breadth-first';

/** Where a user connects: the load balancer's frontend address and this VM's inbound NAT port. */
export interface Endpoint {
  address: string;
  port: number;
}

/** One person's session on a VM, as the VM's reporter saw it (user name as the VM knows it, lower case). */
export interface UserSession {
  user: string;
  kind: SessionKind;
}

export interface ViewInstance {
  instanceId: string;
  state: InstanceState;
  /** Expected time (ISO) a creating or starting VM will run; absent for a running VM. */
  readyAt?: string;
  /** When the VM was first seen running (ISO), carried from view to view; a VM without reports this long is "unknown". */
  runningSince?: string;
  /**
   * Sessions on the VM. `known: false` (no fresh report, reporter broken or VM just up): the VM counts as full for
   * placement. `count` may exceed `users.length` when the reporter could count but not name a session.
   */
  sessions: { known: boolean; count: number; users: UserSession[] };
  /** The VM is drained (it answers its load-balancer probe with 503): nobody new is placed on it. */
  draining: boolean;
  /** The last evaluation chose it for removal: nobody new is placed on it. */
  removing: boolean;
  /** Per-VM inbound NAT endpoints (rules nat-jupyter → 8000 and nat-ssh → 22); absent when not known. */
  endpoints: Partial<Record<SessionKind, Endpoint>>;
}

export interface PoolView {
  pool: string;
  /** When the evaluation that wrote it ran (ISO, app clock). */
  writtenAt: string;
  seatsPerInstance: number;
  maxInstances: number;
  placement: PlacementRule;
  /** How long a placement holds a seat, minutes. */
  reservationMinutes: number;
  connectUrl?: string;
  /**
   * The scale set as last seen: `missing` when it was not found (deleted); `busySince` (ISO) while it is busy with an
   * operation (Updating…), the time that busy spell was first seen, carried from view to view.
   */
  scaleSet: { provisioningState: string; missing?: boolean; busySince?: string };
  instances: ViewInstance[];
  /**
   * The last evaluation failed to act or observe: what the admin was told (the event's error, and the event's reason
   * in plain words: what it was trying to do).
   */
  /** The last evaluation's error; `step` is the action that failed (e.g. "start 0", "setCapacity 3"). */
  problem?: { code: string; message: string; at: string; reason?: string; step?: string };
}

/** States in which a VM is, or is about to be, a place for a session. */
export const SEATING_STATES: ReadonlySet<InstanceState> = new Set(['running', 'creating', 'starting']);
