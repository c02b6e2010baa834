// The emulated VMSS instance: its lifecycle states and what Azure reports for each of them.
import type { SessionKind } from '../../../autoscale/session-metric.js';

/**
 * Lifecycle in simulated time: creating → running; deallocating → deallocated; starting → running;
 * stopping → stopped (powered off, still allocated); deleting → gone.
 */
export type InstanceState =
  | 'creating'
  | 'running'
  | 'deallocating'
  | 'deallocated'
  | 'starting'
  | 'stopping'
  | 'stopped'
  | 'deleting';

export type Sessions = Record<SessionKind, number>;

export interface EmulatedInstance {
  /** VMSS instance id, a decimal string ("0", "1", …), increasing and never reused within a scale set. */
  instanceId: string;
  state: InstanceState;
  /** When the current state began (simulated epoch ms). */
  stateSinceMs: number;
  /** When a transitional state ends (simulated epoch ms); undefined for steady states. */
  untilMs: number | undefined;
  createdMs: number;
  protectFromScaleIn: boolean;
  protectFromScaleSetActions: boolean;
  /** Open sessions by kind; only a running instance has any. */
  sessions: Sessions;
  /** Named sessions (opened by simulated users who honour the broker's placement); counts include them. */
  users?: { user: string; kind: SessionKind }[];
  /** false simulates a broken session reporter: the VM posts no ActiveSessions metric ("no data"). */
  reporting: boolean;
  /**
   * Drained by the drain command (Run Command, see src/autoscale/drain-contract.ts): new SSH logins are refused and the
   * VM's probe endpoint answers 503, so the load balancer places no new flow here and the broker no new user; JupyterHub
   * keeps running, so open sessions stay. Starting the VM clears it (/run is cleared at boot). Absent = false.
   */
  drained?: boolean;
}

/** Why sessions were lost. */
export type KillReason = 'deleted' | 'deallocated' | 'powered-off' | 'restarted' | 'scale-in';

export interface KilledSessions {
  atMs: number;
  instanceId: string;
  kind: SessionKind;
  count: number;
  reason: KillReason;
}

/** Azure's `properties.provisioningState` of a VMSS VM in each state. */
export function provisioningStateOf(state: InstanceState): string {
  switch (state) {
    case 'creating':
      return 'Creating';
    case 'deleting':
      return 'Deleting';
    case 'deallocating':
    case 'starting':
    case 'stopping':
      return 'Updating';
    default:
      return 'Succeeded';
  }
}

/** Azure's `PowerState/…` instance-view code of a VMSS VM in each state. */
export function powerStateOf(state: InstanceState): string {
  switch (state) {
    case 'creating':
    case 'starting':
      return 'starting';
    case 'running':
      return 'running';
    case 'deallocating':
      return 'deallocating';
    case 'deallocated':
      return 'deallocated';
    case 'stopping':
    case 'deleting':
      return 'stopping';
    case 'stopped':
      return 'stopped';
  }
}

export function totalSessions(instance: EmulatedInstance): number {
  return instance.sessions.jupyter + instance.sessions.ssh;
}
