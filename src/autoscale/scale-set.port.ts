// The scale set as autoscale needs it: capacity, instances in neutral states, and the few actions decide() plans.
// Implemented over ARM by src/azure/vmss.ts; tests of the core use a recording fake.
import type { DrainParse } from './drain-contract.js';
import type { InstanceState } from './observation.js';

export interface CallOptions {
  abortSignal?: AbortSignal;
  /**
   * Longest a write (start, deallocate, delete, capacity, protection) waits for its long-running operation after
   * Azure accepted it, in ms; default the adapter's bound (DSVMPOOL_LRO_WAIT_SECONDS). 0 returns once accepted: an
   * operation not yet done is ARM_LRO_PENDING at once. Drains always wait (their answer is the command's output).
   */
  lroWaitMs?: number;
}

/** What a drained VM answered: its session counts after blocking new ones, or why the answer could not be read. */
export type DrainResult = DrainParse;

export interface ScaleSetSummary {
  capacity: number;
  provisioningState: string;
}

export interface ScaleSetInstance {
  instanceId: string;
  state: InstanceState;
  protectFromScaleIn: boolean;
}

/**
 * One scale set. A write waits (bounded by lroWaitMs) for its long-running operation, because a scale set accepts one
 * operation at a time; in Azure an operation on VMs ends when they have reached their new state (a start about a
 * minute, a new DSVM several), so the act step asks for operations on VMs with lroWaitMs 0 and lets the next
 * evaluation observe them. Failures throw an AutoscaleError with code
 * ARM_THROTTLED, ARM_CONFLICT, ARM_UNAVAILABLE, ARM_LRO_FAILED, ARM_LRO_PENDING (accepted, still running),
 * ARM_TIMEOUT, NOT_FOUND or ARM_ERROR.
 */
export interface ScaleSet {
  getCapacity(options?: CallOptions): Promise<ScaleSetSummary>;
  listInstances(options?: CallOptions): Promise<ScaleSetInstance[]>;
  setCapacity(capacity: number, options?: CallOptions): Promise<void>;
  start(instanceIds: string[], options?: CallOptions): Promise<void>;
  deallocate(instanceIds: string[], options?: CallOptions): Promise<void>;
  delete(instanceIds: string[], options?: CallOptions): Promise<void>;
  setProtection(instanceId: string, protectFromScaleIn: boolean, options?: CallOptions): Promise<void>;
  /** Runs the drain command on one running VM (blocks new sessions, then counts them there); see drain-contract.ts. */
  drain(instanceId: string, options?: CallOptions): Promise<DrainResult>;
  /** Lifts a drain, so the VM takes new sessions again. */
  undrain(instanceId: string, options?: CallOptions): Promise<void>;
}

/** Resolves a policy's `target` (the scale set resource id) to its scale set. */
export type ScaleSetResolver = (target: string) => ScaleSet;
