// Pool resize as Batch does it. Growing adds nodes that start after the pool's node start time. Shrinking removes
// starting and idle nodes first; a node still running tasks is handled by nodeDeallocationOption:
//   requeue (Batch's default): its tasks go back to the queue, terminate: they end as failed,
//   taskcompletion / retaineddata: the node takes no new tasks and leaves when they are done.
// The pool stays `resizing` until every new node has started and every leaving node has gone, or a stop-resize.
import type { PoolRecord, TaskRecord } from './batch-records.js';
import { nodesToRemove } from './task-scheduler.js';

export interface ResizeHost {
  readonly pools: Map<string, PoolRecord>;
  readonly tasks: Map<string, TaskRecord>;
  readonly counts: { killedTasks: number; requeuedTasks: number; terminatedByResize: number };
  release(task: TaskRecord): void;
  complete(task: TaskRecord, t: number, exitCode: number | undefined, failure?: TaskRecord['execution']['failureInfo']): void;
  setState(task: TaskRecord, state: TaskRecord['state'], t: number): void;
  touch(record: { eTag: string; lastModified: number }, t: number): void;
}

export class ResizeRules {
  constructor(private readonly host: ResizeHost) {}

  apply(pool: PoolRecord, requested: number, option: string, t: number): void {
    const quota = pool.spec.maxDedicatedNodes;
    const target = quota !== undefined ? Math.min(requested, quota) : requested;
    pool.resizeErrors =
      target < requested
        ? [{ code: 'AccountCoreQuotaReached', message: `The dedicated core quota allows ${quota} nodes of ${pool.spec.vmSize}; ${requested} were requested.` }]
        : [];
    pool.targetDedicatedNodes = target;
    const staying = pool.nodes.filter((n) => !n.leaving).length;
    if (target > staying) {
      for (let i = staying; i < target; i++) {
        const id = `tvmps_${pool.spec.id.toLowerCase()}_${String(pool.nextNodeNumber++).padStart(4, '0')}`;
        pool.nodes.push({ id, readyAt: t + pool.nodeStartMs, usedSlots: 0, taskKeys: new Set(), leaving: false });
      }
    } else {
      for (const node of nodesToRemove(pool.nodes, staying - target, t)) {
        const running = [...node.taskKeys].map((k) => this.host.tasks.get(k)).filter((x): x is TaskRecord => !!x);
        if (running.length > 0 && (option === 'taskcompletion' || option === 'retaineddata')) {
          node.leaving = true;
          continue;
        }
        for (const task of running) this.interrupt(task, option, t);
        node.leaving = true;
      }
    }
    this.host.touch(pool, t);
    this.settlePool(pool, t, true);
  }

  /**
   * Stop-resize: nodes still starting are given up and nodes waiting to leave stay, so the pool is steady at once
   * at the size it has (Azure passes through `stopping`; here VM allocation and node start are one delay).
   */
  stop(pool: PoolRecord, t: number): void {
    pool.nodes = pool.nodes.filter((n) => n.readyAt <= t);
    for (const n of pool.nodes) n.leaving = false;
    pool.targetDedicatedNodes = pool.nodes.length;
    this.host.touch(pool, t);
    this.settlePool(pool, t, false);
  }

  /** Removes leaving nodes that have no tasks left and moves pools whose resize has finished to steady. */
  settle(t: number): void {
    for (const pool of this.host.pools.values()) this.settlePool(pool, t, false);
  }

  private settlePool(pool: PoolRecord, t: number, resized: boolean): void {
    const before = pool.nodes.length;
    pool.nodes = pool.nodes.filter((n) => !(n.leaving && n.taskKeys.size === 0));
    const busy = pool.nodes.some((n) => n.leaving || n.readyAt > t);
    const state = busy ? 'resizing' : 'steady';
    if (state !== pool.allocationState || (resized && busy)) {
      if (state !== pool.allocationState) pool.allocationStateTransitionTime = t;
      pool.allocationState = state;
      this.host.touch(pool, t);
    } else if (before !== pool.nodes.length) {
      this.host.touch(pool, t);
    }
  }

  private interrupt(task: TaskRecord, option: string, t: number): void {
    this.host.counts.killedTasks += 1;
    if (option === 'terminate') {
      this.host.counts.terminatedByResize += 1;
      this.host.complete(task, t, 137, {
        category: 'servererror',
        code: 'TaskEnded',
        message: 'The node running the task was removed from the pool by a resize with nodeDeallocationOption terminate',
      });
      return;
    }
    this.host.counts.requeuedTasks += 1;
    this.host.release(task);
    // A requeued run is not an attempt of its own: the next run repeats it.
    task.attempts -= 1;
    task.execution.requeueCount += 1;
    task.execution.lastRequeueTime = t;
    this.host.setState(task, 'active', t);
  }
}
