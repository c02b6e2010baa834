// What drives the pool during a replay: our autoscaler or one of the baselines. The replay calls tick() every
// simulated minute; controllers act on the pool port directly, the way the timer acts on the scale set.
import type { SessionKind } from '../autoscale/session-metric.js';
import type { VmPoolPort } from './vm-pool.port.js';

export interface PoolView {
  /** Sessions connected to a VM. */
  connectedSessions: number;
  /** Users who arrived but found no running VM to connect to. */
  waitingUsers: number;
}

export interface Controller {
  readonly name: string;
  /** The pool as it stands when the period begins (running, or deallocated); default: an empty scale set. */
  readonly initialPool?: { capacity: number; running: boolean };
  /** Once, at the start of the period, before any session. */
  init?(now: number, pool: VmPoolPort, view: PoolView): void;
  /** Every simulated minute, after the minute's arrivals and departures. */
  tick(now: number, pool: VmPoolPort, view: PoolView): void;
  /** A user arrived and no VM is running (ours: the bookmarked /connect link wakes the pool at once). */
  userWithoutVm?(now: number, pool: VmPoolPort, view: PoolView): void;
  /**
   * A broker: where a user asking now connects (a running VM's instance id), or undefined while they wait (queued,
   * or holding a seat on a VM that is still starting). Without it the load balancer places sessions at random.
   */
  place?(now: number, pool: VmPoolPort, session: { sessionId: string; user: string; kind: SessionKind }, arriving: boolean): string | undefined;
}
