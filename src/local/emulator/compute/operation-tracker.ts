// ARM long-running operations of the compute routes: their status resource, and "one operation at a time per scale
// set" (a second write while one runs gets 409). An operation that changes VMs (start, deallocate, delete, power off,
// a capacity change) ends when the last of its instances reaches its new state, as Azure's does (Learn, "Track
// asynchronous Azure operations": the status stays InProgress until the work is done). An operation that changes no
// VM state (instance protection, Run Command) ends after a short delay, and under a manual clock, where nobody moves
// time while an SDK poller waits, also at its first poll.
import { randomUUID } from 'node:crypto';
import type { SimClock } from '../sim-clock.js';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface OperationRecord {
  id: string;
  scaleSetKey: string;
  subscriptionId: string;
  location: string;
  startMs: number;
  doneAtMs: number;
  status: OperationStatus;
  endMs?: number;
  failure?: { code: string; message: string };
  /** The final result a GET at the operation's Location returns once it succeeded (e.g. a RunCommandResult). */
  result?: unknown;
  /** Ends when its instances reach their new state (at doneAtMs), never early at a poll. */
  followsInstances: boolean;
}

export interface StartOperation {
  scaleSetKey: string;
  subscriptionId: string;
  location: string;
  failure?: { code: string; message: string };
  result?: unknown;
  /**
   * When the instances the operation changed reach their new state (simulated epoch ms): the operation ends then.
   * Omitted for an operation that changes no VM state.
   */
  instancesSettleAtMs?: number;
}

/** Simulated seconds after which an injected failure ends. */
const FAILED_AFTER_SECONDS = 2;

export class OperationTracker {
  private readonly byId = new Map<string, OperationRecord>();
  private readonly runningBySet = new Map<string, OperationRecord>();

  constructor(
    private readonly clock: SimClock,
    private readonly delaySeconds: number,
  ) {}

  /** Starts an operation; a failed one (injected) ends after at most 2 simulated seconds, the VMs left as they were. */
  start(o: StartOperation): OperationRecord {
    const now = this.clock.now().getTime();
    const { instancesSettleAtMs, ...rest } = o;
    const followsInstances = instancesSettleAtMs !== undefined && !o.failure;
    // An injected failure ends promptly (an allocation failure comes back in seconds), whatever the configured delay
    // of operations that change no VM state.
    const seconds = o.failure ? Math.min(this.delaySeconds, FAILED_AFTER_SECONDS) : this.delaySeconds;
    const doneAtMs = followsInstances ? Math.max(now, instancesSettleAtMs) : now + seconds * 1000;
    const op: OperationRecord = { ...rest, id: randomUUID(), startMs: now, doneAtMs, status: 'InProgress', followsInstances };
    this.byId.set(op.id, op);
    this.runningBySet.set(o.scaleSetKey, op);
    if (this.byId.size > 10_000) this.forgetOldest();
    return op;
  }

  /** The operation still running on a scale set, if any. */
  running(scaleSetKey: string): OperationRecord | undefined {
    const op = this.runningBySet.get(scaleSetKey);
    if (op && this.settle(op, false).status === 'InProgress') return op;
    return undefined;
  }

  /**
   * The status resource as a poll sees it. Under a manual clock a poll completes an operation that changes no VM
   * state; one that does stays InProgress until the clock reaches the moment its instances settle.
   */
  poll(id: string): OperationRecord | undefined {
    const op = this.byId.get(id);
    return op ? this.settle(op, this.clock.mode === 'manual' && !op.followsInstances) : undefined;
  }

  /** Seconds a poller should wait, in real time, before asking again. */
  retryAfterSeconds(op: OperationRecord, speed: number | undefined): number {
    if (this.clock.mode === 'manual' || !speed) return 1;
    return Math.max(1, Math.ceil((op.doneAtMs - this.clock.now().getTime()) / 1000 / speed));
  }

  clear(): void {
    this.byId.clear();
    this.runningBySet.clear();
  }

  private settle(op: OperationRecord, polled: boolean): OperationRecord {
    if (op.status !== 'InProgress') return op;
    const now = this.clock.now().getTime();
    if (now >= op.doneAtMs || polled) {
      op.status = op.failure ? 'Failed' : 'Succeeded';
      op.endMs = Math.max(now, op.startMs);
      if (this.runningBySet.get(op.scaleSetKey) === op) this.runningBySet.delete(op.scaleSetKey);
    }
    return op;
  }

  private forgetOldest(): void {
    for (const [id, op] of this.byId) {
      if (this.byId.size <= 5_000) break;
      if (op.status !== 'InProgress') this.byId.delete(id);
    }
  }
}
