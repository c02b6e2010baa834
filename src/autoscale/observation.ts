// What one evaluation saw of a pool: the scale set, its instances and their sessions. Built by the observe step
// (or by the simulator from its pool model) and handed to decide(); plain data, no I/O.

/** Neutral lifecycle state of one VM, mapped from the provider's power and provisioning states. */
export type InstanceState =
  | 'creating' // provisioning, not yet running
  | 'starting' // deallocated/stopped → running
  | 'running'
  | 'stopping' // powering off, still billed
  | 'stopped' // powered off but not deallocated: still billed for compute
  | 'deallocating'
  | 'deallocated' // disk kept, no compute cost; starts in about a minute
  | 'deleting'
  | 'failed'
  | 'unknown';

/** Sessions of one VM over the metric window (the idle window plus a margin), from DSVMPool/ActiveSessions. */
export interface InstanceSessions {
  /** False when the VM posted nothing in the window: its sessions are unknown, so it counts as busy. */
  hasData: boolean;
  /** The newest sample's value (0 without data). */
  latest: number;
  /** Maximum over the window (0 without data). */
  maxInWindow: number;
  /** Time stamp of the oldest and newest sample in the window. */
  firstSampleAt?: Date;
  lastSampleAt?: Date;
  /** Time stamp of the newest sample with a session; absent when every sample in the window was 0. */
  lastBusyAt?: Date;
  /**
   * Oldest sample of the newest unbroken run (see unbrokenSince): when the VM came back after a gap, e.g. a restart
   * from deallocated. Idle time never counts from before it. Absent: same as firstSampleAt.
   */
  unbrokenSince?: Date;
}

export interface InstanceObservation {
  instanceId: string;
  state: InstanceState;
  protectFromScaleIn: boolean;
  sessions: InstanceSessions;
  /** Seats the broker holds on this VM for people not yet on it (live, unconsumed reservations). Default 0. */
  reserved?: number;
  /** Sessions in the VM's fresh per-user report (fresher than the metric); absent without a fresh report. */
  reported?: number;
  /**
   * Sessions in that report past each user's first: a user's second session beside their own (the broker's affinity).
   * Load past the VM's seats made of these is no demand for another VM: no session moves. Absent: 0.
   */
  sharedSessions?: number;
  /** When the VM was first seen running (from the previous pool view); absent when not known. */
  runningSince?: Date;
}

export interface PoolObservation {
  pool: string;
  /** sku.capacity of the scale set: every instance, deallocated ones included. */
  capacity: number;
  /** Provisioning state of the scale set itself, e.g. Succeeded, Updating. */
  provisioningState: string;
  instances: InstanceObservation[];
  /** People the broker could not seat yet (live waiting rows without a reservation). Default 0. */
  waiting?: number;
  /** While the scale set is busy (Updating…): when this busy spell was first seen (carried in the pool view). */
  busySince?: Date;
}

/** Facts from earlier evaluations that decide() needs; read from the scale-event log. */
export interface ScaleHistory {
  /** When a scale-out (start or capacity raise) last took effect. */
  lastScaleOutAt?: Date;
  /** When a scale-in (deallocate or delete) last took effect. */
  lastScaleInAt?: Date;
  /** The newest wake request (POST /wake, GET /connect); it holds one VM for wakeHoldMinutes. */
  lastWakeAt?: Date;
  /** VMs the newest evaluation left drained (its removal failed or may still run); see ScaleEvent.drained. */
  leftDrained?: string[];
  /** Operations the newest evaluation left running (ScaleEvent.pending), e.g. "deallocate 0,1". */
  pending?: string[];
}

/** Instances that count as capacity now or within minutes. */
export const COMING_OR_RUNNING: ReadonlySet<InstanceState> = new Set(['creating', 'starting', 'running']);
/** Instances that can be started instead of creating new ones. */
export const STARTABLE: ReadonlySet<InstanceState> = new Set(['deallocated', 'stopped']);
