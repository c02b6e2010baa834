// The output of decide(): what to do to one pool and why, in a form the act step carries out literally and the
// scale-event log stores as is.

export type ScaleDirection = 'out' | 'in' | 'none';

export interface ScalePlan {
  pool: string;
  direction: ScaleDirection;
  /** Deallocated or stopped instances to start (scale out, before any new VM is created). */
  start: string[];
  /** New sku.capacity when new VMs are needed; only ever above the observed capacity. */
  newCapacity?: number;
  /** Idle instances to deallocate (scale in with scaleInAction deallocate). */
  deallocate: string[];
  /** Idle or surplus deallocated instances to delete. */
  delete: string[];
  /** Instances that get protectFromScaleIn (busy) or lose it (idle for the whole window). */
  protect: string[];
  unprotect: string[];
  /** VMs that should be running or starting once the plan is carried out. */
  targetActive: number;
  /** The numbers behind the decision, for the event log and the status API. */
  figures: PlanFigures;
  /** Problems a person should look at, e.g. "VM 4: no session data for 20 min". */
  warnings: string[];
  /** One sentence a person can read. Never empty. */
  reason: string;
}

export interface PlanFigures {
  /** Sessions on coming or running VMs: the higher of the metric and the VM's own report, per VM. */
  sessions: number;
  /** Seats the broker holds for people not on their VM yet. */
  reserved?: number;
  /** People the broker could not seat yet. */
  waiting?: number;
  /** Running VMs with unknown sessions, each counted as full. */
  unknownFull?: number;
  /**
   * Load past a VM's `seatsPerInstance` that is users' second sessions beside their own (the broker's affinity), summed
   * over VMs; not demand, since another VM would seat none of them.
   */
  overSeats?: number;
  /** VMs needed for the sessions plus spare seats. */
  demand: number;
  /** The highest floor in force (minInstances, schedules, wake, scaleToZero) and what set it. */
  floor: number;
  floorSource: string;
  /** Running plus starting/creating VMs as observed. */
  active: number;
  idleForWindow: number;
  unknown: number;
  /** Set when a cooldown, or an operation still running on the scale set, held back a scale action that was due. */
  heldBy?: 'scale-out-cooldown' | 'scale-in-cooldown' | 'scale-set-busy';
}

/** True when carrying out the plan changes anything. */
export function planActs(plan: ScalePlan): boolean {
  return (
    plan.start.length > 0 ||
    plan.newCapacity !== undefined ||
    plan.deallocate.length > 0 ||
    plan.delete.length > 0 ||
    plan.protect.length > 0 ||
    plan.unprotect.length > 0
  );
}
