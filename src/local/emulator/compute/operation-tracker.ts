// ARM long-running operations of the compute routes: their status resource, and "one operation at a time per scale
// set" (a second write while one runs gets 409). With a manual clock nobody may move time while an SDK poller
// waits, so there an operation also completes the first time its status is polled.
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
}

export class OperationTracker {
  private readonly byId = new Map<string, OperationRecord>();
  private readonly runningBySet = new Map<string, OperationRecord>();

  constructor(
    private readonly clock: SimClock,
    private readonly delaySeconds: number,
  ) {}

  start(o: { scaleSetKey: string; subscriptionId: string; location: string; failure?: { code: string; message: string }; result?: unknown }): OperationRecord {
    const now = this.clock.now().getTime();
    const op: OperationRecord = { ...o, id: randomUUID(), startMs: now, doneAtMs: now + this.delaySeconds * 1000, status: 'InProgress' };
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

  /** The status resource as a poll sees it (a poll completes the operation under a manual clock). */
  poll(id: string): OperationRecord | undefined {
    const op = this.byId.get(id);
    return op ? this.settle(op, this.clock.mode === 'manual') : undefined;
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
