// The VM model the replay drives: a scale set's instances with their lifecycle in simulated time, sessions placed
// as the load balancer places them, and the sessions lost when a VM goes. The emulator's PoolModel implements it
// (wired in src/local/simulator); the core never knows which model it runs on.
import type { InstanceState } from '../autoscale/observation.js';
import type { SessionKind } from '../autoscale/session-metric.js';

export interface PoolInstance {
  instanceId: string;
  state: InstanceState;
  protectFromScaleIn: boolean;
  /** Sessions on the VM now. */
  sessions: number;
  sessionsByKind: Record<SessionKind, number>;
}

export interface VmPoolPort {
  /** Moves the model to `epochMs`: boots, starts and deallocations that are due complete. */
  advanceTo(epochMs: number): void;
  instances(): readonly PoolInstance[];
  /** sku.capacity: every instance, deallocated ones included. */
  capacity(): number;
  /** Raising creates VMs; lowering removes VMs by the scale set's scale-in policy (highest instance id, unprotected). */
  setCapacity(capacity: number): void;
  start(instanceIds: readonly string[]): void;
  deallocate(instanceIds: readonly string[]): void;
  delete(instanceIds: readonly string[]): void;
  setProtection(instanceIds: readonly string[], protect: boolean): void;
  /**
   * The drain command on a running VM (src/autoscale/drain-contract.ts): new sessions are no longer placed on it, and
   * its sessions are counted there, with no metric delay.
   */
  drain(instanceId: string): Record<SessionKind, number>;
  /** Lifts a drain: the VM takes new sessions again. */
  undrain(instanceId: string): void;
  /** Opens a session on a running VM chosen as the load balancer chooses; undefined when none is running. */
  openSession(sessionId: string, kind: SessionKind): string | undefined;
  closeSession(sessionId: string): void;
  /** Opens a session on the named running VM, as a user the broker placed there does; false when it cannot run one. */
  openSessionOn(sessionId: string, kind: SessionKind, instanceId: string): boolean;
  /** Where each open session is: session id → instance id. */
  placedSessions(): ReadonlyMap<string, string>;
  /** Sessions that ended because their VM was deallocated, deleted or scaled in since the last call. */
  drainKilled(): string[];
  /** When the next lifecycle change is due (undefined: none pending); the replay steps to it exactly. */
  nextChangeAt(): number | undefined;
}

/** States in which Azure bills the VM's compute. */
export const BILLED_STATES: ReadonlySet<InstanceState> = new Set([
  'creating',
  'starting',
  'running',
  'stopping',
  'stopped',
  'deallocating',
]);
