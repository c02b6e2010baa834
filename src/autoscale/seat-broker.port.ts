// The broker as an evaluation sees it: before deciding, the people it placed or queued and the VMs' own session
// reports (demand the metric does not show yet); after acting, the pool view for the next connects. Implemented by
// the broker's composition root; without it an evaluation works from the metric alone.
import type { ActResult } from './act.js';
import type { PoolObservation } from './observation.js';
import type { VmssPolicy } from './policy.js';
import type { ScalePlan } from './scale-plan.js';
import { busySinceOf } from './scale-set-busy.js';
import type { CallOptions, ScaleSetInstance } from './scale-set.port.js';

export interface SeatFacts {
  /** Seats held for people not on their VM yet, per instance id. */
  reserved: ReadonlyMap<string, number>;
  /** People who found no free seat. */
  waiting: number;
  /** Sessions per instance id from each VM's fresh report. */
  reported: ReadonlyMap<string, number>;
  /** Per instance id, sessions in its fresh report past each user's first (a user's second session beside their own). */
  shared?: ReadonlyMap<string, number>;
  /** When each VM was first seen running, from the previous view. */
  runningSince: ReadonlyMap<string, Date>;
  /** When the previous view first saw the scale set busy (Updating…), if it was busy then. */
  scaleSetBusySince?: Date;
  /** Carried back to `evaluated` unchanged (the rows the facts came from). */
  context?: unknown;
}

export interface Evaluated {
  pool: string;
  policy: VmssPolicy;
  now: Date;
  observation?: PoolObservation;
  plan?: ScalePlan;
  acted: ActResult;
  /** The instances as listed after a scale-out (new VMs with their ids); absent when nothing was added. */
  instancesAfter?: ScaleSetInstance[];
  /** The scale set was not found. */
  scaleSetMissing?: boolean;
  facts?: SeatFacts;
}

export interface FactsOptions extends CallOptions {
  /**
   * Someone who found no free seat triggered this evaluation: wait briefly for the people asking at the same moment to
   * queue, so this one evaluation counts them all (the scale set takes one operation at a time).
   */
  settle?: boolean;
}

export interface SeatBroker {
  facts(pool: string, policy: VmssPolicy, now: Date, options: FactsOptions): Promise<SeatFacts>;
  evaluated(e: Evaluated, options: CallOptions): Promise<void>;
}

/** The observation with the broker's facts laid in: reserved seats, reports, running-since, waiting people, busy since. */
export function withSeatFacts(o: PoolObservation, f: SeatFacts | undefined, now: Date): PoolObservation {
  const busySince = busySinceOf(o.provisioningState, f?.scaleSetBusySince, now);
  if (!f) return busySince ? { ...o, busySince } : o;
  return {
    ...o,
    ...(busySince ? { busySince } : {}),
    waiting: f.waiting,
    instances: o.instances.map((i) => ({
      ...i,
      reserved: f.reserved.get(i.instanceId) ?? 0,
      ...(f.reported.has(i.instanceId) ? { reported: f.reported.get(i.instanceId) } : {}),
      ...(f.shared?.has(i.instanceId) ? { sharedSessions: f.shared.get(i.instanceId) } : {}),
      ...(f.runningSince.has(i.instanceId) ? { runningSince: f.runningSince.get(i.instanceId) } : {}),
    })),
  };
}
