// The Batch account in simulated time: pools of nodes that start after a delay, jobs, and tasks that wait for a free
// slot, run for a set duration, retry and time out. `sync(now)` replays every event up to `now` in time order, so
// timestamps are exact however far the clock jumps.
import type { JobRecord, NodeRecord, PoolRecord, PoolSpec, TaskRecord, TaskState } from './batch-records.js';
import { parseIsoDurationMs } from './iso-duration.js';
import { ResizeRules } from './resize-rules.js';
import { attemptOutcome, exitCodeFor, pickNode, planAttempt } from './task-scheduler.js';

const DEFAULT_TASK_SECONDS = 60;
const DEFAULT_NODE_START_SECONDS = 180;

export type AddResult = 'created' | 'exists' | 'job-not-found' | 'job-completed';

export class BatchModel {
  readonly pools = new Map<string, PoolRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly counts = { killedTasks: 0, requeuedTasks: 0, terminatedByResize: 0 };
  private readonly specs: PoolSpec[] = [];
  private readonly resize = new ResizeRules(this);
  private cursor: number;
  private seq = 0;
  private etagCounter = 0;

  constructor(now: number) {
    this.cursor = now;
  }

  nextETag(): string {
    this.etagCounter += 1;
    return `0x8DE${this.etagCounter.toString(16).toUpperCase().padStart(12, '0')}`;
  }

  createPool(spec: PoolSpec, remember = true): void {
    const key = spec.id.toLowerCase();
    if (remember) {
      const i = this.specs.findIndex((s) => s.id.toLowerCase() === key);
      if (i >= 0) this.specs.splice(i, 1);
      this.specs.push(spec);
    }
    const t = this.cursor;
    this.pools.set(key, {
      spec,
      taskSlotsPerNode: spec.taskSlotsPerNode ?? 1,
      nodeStartMs: (spec.nodeStartSeconds ?? DEFAULT_NODE_START_SECONDS) * 1000,
      creationTime: t,
      eTag: this.nextETag(),
      lastModified: t,
      targetDedicatedNodes: 0,
      allocationState: 'steady',
      allocationStateTransitionTime: t,
      resizeTimeout: 'PT15M',
      resizeErrors: [],
      nodes: [],
      nextNodeNumber: 1,
    });
    if (spec.targetDedicatedNodes) {
      // Nodes a pool is created with are there from the start.
      const pool = this.pools.get(key)!;
      this.resize.apply(pool, spec.targetDedicatedNodes, 'requeue', t);
      for (const n of pool.nodes) n.readyAt = t;
      this.sync(t);
    }
  }

  /** Back to the pools as created (no nodes beyond their initial size), no jobs, no tasks, no counts. */
  reset(now: number): void {
    this.pools.clear();
    this.jobs.clear();
    this.tasks.clear();
    Object.assign(this.counts, { killedTasks: 0, requeuedTasks: 0, terminatedByResize: 0 });
    this.cursor = Math.max(this.cursor, now);
    for (const spec of this.specs) this.createPool(spec, false);
  }

  pool(id: string): PoolRecord | undefined {
    return this.pools.get(id.toLowerCase());
  }

  job(id: string): JobRecord | undefined {
    return this.jobs.get(id.toLowerCase());
  }

  task(jobId: string, taskId: string): TaskRecord | undefined {
    return this.tasks.get(`${jobId}/${taskId}`.toLowerCase());
  }

  resizePool(pool: PoolRecord, target: number, option: string, now: number): void {
    this.sync(now);
    this.resize.apply(pool, target, option, now);
    this.sync(now);
  }

  stopResize(pool: PoolRecord, now: number): void {
    this.sync(now);
    this.resize.stop(pool, now);
    this.sync(now);
  }

  addJob(body: Record<string, unknown>, now: number): 'created' | 'exists' {
    this.sync(now);
    const id = String(body.id);
    if (this.job(id)) return 'exists';
    const poolInfo = (body.poolInfo ?? {}) as { poolId?: string };
    const constraints = (body.constraints ?? {}) as { maxTaskRetryCount?: number };
    this.jobs.set(id.toLowerCase(), {
      id,
      body,
      poolId: String(poolInfo.poolId ?? ''),
      priority: typeof body.priority === 'number' ? body.priority : 0,
      maxTaskRetryCount: constraints.maxTaskRetryCount,
      creationTime: now,
      eTag: this.nextETag(),
      lastModified: now,
      state: 'active',
      stateTransitionTime: now,
    });
    return 'created';
  }

  addTask(jobId: string, body: Record<string, unknown>, now: number): AddResult {
    this.sync(now);
    const job = this.job(jobId);
    if (!job) return 'job-not-found';
    if (job.state !== 'active') return 'job-completed';
    const id = String(body.id);
    const key = `${job.id}/${id}`.toLowerCase();
    if (this.tasks.has(key)) return 'exists';
    const env = new Map(((body.environmentSettings ?? []) as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    const seconds = Number(env.get('EMULATOR_TASK_SECONDS') ?? DEFAULT_TASK_SECONDS);
    let exitCodes = (env.get('EMULATOR_EXIT_CODE') ?? '0').split(',').map((s) => Number.parseInt(s.trim(), 10) || 0);
    // Array tasks listed in EMULATOR_FAIL_INDEXES (e.g. "3,7") exit 1: one failing index in a sweep.
    const failIndexes = (env.get('EMULATOR_FAIL_INDEXES') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (failIndexes.includes(env.get('DSVMPOOL_ARRAY_INDEX') ?? '')) exitCodes = [1];
    const constraints = (body.constraints ?? {}) as { maxWallClockTime?: string; maxTaskRetryCount?: number };
    this.tasks.set(key, {
      key,
      jobId: job.id,
      id,
      body,
      seq: this.seq++,
      state: 'active',
      stateTransitionTime: now,
      creationTime: now,
      eTag: this.nextETag(),
      lastModified: now,
      requiredSlots: typeof body.requiredSlots === 'number' ? body.requiredSlots : 1,
      // At least a second, so a zero-length task that retries without limit cannot spin at one instant.
      durationMs: Math.max(1000, Number.isFinite(seconds) ? seconds * 1000 : DEFAULT_TASK_SECONDS * 1000),
      exitCodes,
      maxTaskRetryCount: constraints.maxTaskRetryCount ?? job.maxTaskRetryCount ?? 0,
      maxWallClockMs: constraints.maxWallClockTime ? parseIsoDurationMs(constraints.maxWallClockTime) : undefined,
      attempts: 0,
      retryPending: false,
      execution: { retryCount: 0, requeueCount: 0 },
    });
    this.sync(now);
    return 'created';
  }

  /** Ends a task as the terminate API does; false when it had already completed. */
  terminateTask(task: TaskRecord, now: number): boolean {
    this.sync(now);
    if (task.state === 'completed') return false;
    this.complete(task, now, task.run ? 137 : undefined, {
      category: 'usererror',
      code: 'TaskEnded',
      message: 'Task Was Ended by User Request',
    });
    this.resize.settle(now);
    this.sync(now);
    return true;
  }

  setState(task: TaskRecord, state: TaskState, t: number): void {
    task.previousState = task.state;
    task.previousStateTransitionTime = task.stateTransitionTime;
    task.state = state;
    task.stateTransitionTime = t;
    this.touch(task, t);
  }

  touch(record: { eTag: string; lastModified: number }, t: number): void {
    record.eTag = this.nextETag();
    record.lastModified = t;
  }

  /** Takes a running task off its node (slots freed); the caller decides what becomes of it. */
  release(task: TaskRecord): void {
    const run = task.run;
    if (!run) return;
    const node = this.pool(run.poolId)?.nodes.find((n) => n.id === run.nodeId);
    if (node) {
      node.usedSlots -= task.requiredSlots;
      node.taskKeys.delete(task.key);
    }
    task.run = undefined;
  }

  complete(task: TaskRecord, t: number, exitCode: number | undefined, failure?: TaskRecord['execution']['failureInfo']): void {
    this.release(task);
    const e = task.execution;
    e.endTime = t;
    e.exitCode = exitCode;
    e.result = failure ? 'failure' : 'success';
    e.failureInfo = failure;
    this.setState(task, 'completed', t);
  }

  /** Replays node starts, task ends and task starts up to `now`, in time order. */
  sync(now: number): void {
    // Settles changes made at the current instant (a node that starts at once, a task ended by a call).
    this.resize.settle(this.cursor);
    for (;;) {
      this.schedule(this.cursor);
      const next = this.nextEventTime();
      if (next === undefined || next > now) break;
      this.cursor = Math.max(this.cursor, next);
      this.processEventsAt(this.cursor);
    }
    this.cursor = Math.max(this.cursor, now);
  }

  private nextEventTime(): number | undefined {
    let next: number | undefined;
    const consider = (t: number): void => {
      if (next === undefined || t < next) next = t;
    };
    for (const pool of this.pools.values()) for (const n of pool.nodes) if (n.readyAt > this.cursor) consider(n.readyAt);
    for (const task of this.tasks.values()) if (task.run) consider(task.run.endAt);
    return next;
  }

  private processEventsAt(t: number): void {
    for (const task of this.tasks.values()) if (task.run && task.run.endAt <= t) this.finishAttempt(task, t);
    this.resize.settle(t);
  }

  private finishAttempt(task: TaskRecord, t: number): void {
    const run = task.run!;
    if (run.timedOut) {
      this.complete(task, t, 137, {
        category: 'usererror',
        code: 'MaxWallClockTimeExceeded',
        message: 'The task ran longer than its maxWallClockTime constraint and was terminated',
      });
      return;
    }
    const exitCode = exitCodeFor(task.exitCodes, task.attempts - 1);
    const outcome = attemptOutcome(exitCode, task.execution.retryCount, task.maxTaskRetryCount);
    if (outcome === 'success') this.complete(task, t, 0);
    else if (outcome === 'failure') {
      this.complete(task, t, exitCode, {
        category: 'usererror',
        code: 'FailureExitCode',
        message: 'The task exited with an exit code representing a failure',
      });
    } else {
      this.release(task);
      task.execution.retryCount += 1;
      task.retryPending = true;
      this.setState(task, 'active', t);
    }
  }

  private schedule(t: number): void {
    // Most calls find every slot taken (or no nodes at all); skip sorting the queue then.
    const hasFreeSlot = (p: PoolRecord): boolean => p.nodes.some((n) => !n.leaving && n.readyAt <= t && n.usedSlots < p.taskSlotsPerNode);
    if (![...this.pools.values()].some(hasFreeSlot)) return;
    const waiting = [...this.tasks.values()].filter((task) => task.state === 'active');
    if (waiting.length === 0) return;
    const priority = (task: TaskRecord): number => this.job(task.jobId)?.priority ?? 0;
    waiting.sort((a, b) => priority(b) - priority(a) || a.seq - b.seq);
    for (const task of waiting) {
      const pool = this.pool(this.job(task.jobId)?.poolId ?? '');
      if (!pool) continue;
      const node = pickNode(pool.nodes, task.requiredSlots, pool.taskSlotsPerNode, t);
      if (node) this.start(task, pool, node, t);
    }
  }

  private start(task: TaskRecord, pool: PoolRecord, node: NodeRecord, t: number): void {
    node.usedSlots += task.requiredSlots;
    node.taskKeys.add(task.key);
    const { endAt, timedOut } = planAttempt(t, task.durationMs, task.maxWallClockMs);
    task.run = { poolId: pool.spec.id, nodeId: node.id, endAt, timedOut };
    task.attempts += 1;
    const e = task.execution;
    e.startTime = t;
    e.endTime = undefined;
    e.exitCode = undefined;
    if (task.retryPending) e.lastRetryTime = t;
    task.retryPending = false;
    task.nodeInfo = { poolId: pool.spec.id, nodeId: node.id };
    this.setState(task, 'running', t);
  }
}
