// Recording fakes of the job service's ports for unit tests of the core: an in-memory JobStore with real ETag
// semantics, a recording queue and a recording Batch port.
import { JobsError } from '../../../src/jobs/errors.js';
import type { AddTaskOutcome, BatchPort, PoolSnapshot, TaskSnapshot, TaskSpec } from '../../../src/jobs/batch.port.js';
import type { BatchPolicySource } from '../../../src/jobs/batch-policy-source.port.js';
import { batchPolicySchema, type DescribedPool } from '../../../src/jobs/batch-policy.js';
import type { PoolSource } from '../../../src/jobs/pool-catalog.js';
import type { JobQueue } from '../../../src/jobs/job-queue.port.js';
import { keysOf, type JobRecord, type StoredJob } from '../../../src/jobs/job-record.js';
import type { IdempotencyRow, JobListQuery, JobPage, JobStore, PoolState } from '../../../src/jobs/job-store.port.js';
import { userKeyOf } from '../../../src/jobs/spec-hash.js';

export class MemoryJobStore implements JobStore {
  rows = new Map<string, StoredJob>();
  idem = new Map<string, IdempotencyRow>();
  active = new Map<string, string>();
  all = new Set<string>();
  pools = new Map<string, PoolState>();
  writes = 0;
  private n = 0;
  /** Runs once before the next replace: simulates another writer winning the race. */
  beforeNextReplace?: () => void;

  private etag() {
    return `W/"${++this.n}"`;
  }
  async get(id: string) {
    const s = this.rows.get(id);
    return s && structuredClone(s);
  }
  async getIdempotency(user: string, keyHash: string) {
    return this.idem.get(`${userKeyOf(user)}/${keyHash}`);
  }
  async create(record: JobRecord, idem?: { keyHash: string; payloadHash: string; replaceIdempotencyEtag?: string }) {
    if (idem) {
      const k = `${userKeyOf(record.user)}/${idem.keyHash}`;
      const existing = this.idem.get(k);
      if (existing && existing.etag !== idem.replaceIdempotencyEtag) return { created: false as const, existing };
      this.idem.set(k, { jobId: record.id, payloadHash: idem.payloadHash, createdAt: record.submittedAt, etag: this.etag() });
    }
    const s = { record: structuredClone(record), etag: this.etag() };
    this.rows.set(record.id, s);
    this.writes++;
    return { created: true as const, stored: structuredClone(s) };
  }
  async replace(current: StoredJob, next: JobRecord) {
    const hook = this.beforeNextReplace;
    this.beforeNextReplace = undefined;
    hook?.();
    const now = this.rows.get(next.id);
    if (!now) throw new JobsError('JOB_NOT_FOUND', 'gone');
    if (now.etag !== current.etag) throw new JobsError('CONCURRENT_UPDATE', 'etag mismatch');
    const s = { record: structuredClone(next), etag: this.etag() };
    this.rows.set(next.id, s);
    this.writes++;
    return structuredClone(s);
  }
  /** Writes behind the core's back (another instance). */
  poke(id: string, patch: Partial<JobRecord>) {
    const s = this.rows.get(id)!;
    this.rows.set(id, { record: { ...s.record, ...patch }, etag: this.etag() });
  }
  async addIndexes(r: JobRecord, which: 'active' | 'all' | 'both' = 'both') {
    if (which !== 'all') this.active.set(r.id, r.submittedAt);
    if (which !== 'active') this.all.add(r.id);
  }
  async removeIndexes(id: string, which: 'active' | 'all' | 'both') {
    if (which !== 'all') this.active.delete(id);
    if (which !== 'active') this.all.delete(id);
  }
  async listActive() {
    return [...this.active].map(([jobId, createdAt]) => ({ jobId, createdAt }));
  }
  private pageOf(ids: string[], q: JobListQuery): JobPage {
    const sorted = ids
      .map((id) => ({ id, rk: keysOf(id)!.rowKey, r: this.rows.get(id)?.record }))
      .filter((x) => x.r && (!q.after || x.rk > q.after) && (!q.state || x.r.state === q.state) && (!q.pool || x.r.pool === q.pool))
      .sort((a, b) => (a.rk < b.rk ? -1 : 1));
    const kept = sorted.slice(0, q.top);
    return { items: kept.map((x) => x.r!), after: sorted.length > q.top ? kept[kept.length - 1]!.rk : undefined };
  }
  async listByUser(user: string, q: JobListQuery) {
    return this.pageOf([...this.rows.values()].filter((s) => s.record.user === user).map((s) => s.record.id), q);
  }
  async listUserActive(user: string) {
    return [...this.rows.values()].map((s) => structuredClone(s.record)).filter((r) => r.user === user && !['succeeded', 'failed', 'cancelled'].includes(r.state));
  }
  async listAll(q: JobListQuery) {
    return this.pageOf([...this.all], q);
  }
  async getPoolState(pool: string) {
    return this.pools.get(pool) ?? {};
  }
  async putPoolState(pool: string, s: PoolState) {
    this.pools.set(pool, { idleSince: s.idleSince, problem: s.problem, usage: s.usage, usageAt: s.usageAt, etag: 'x' });
  }
}

export class RecordingQueue implements JobQueue {
  sent: string[] = [];
  /** The delay each send asked for (0 when none), in the order of `sent`. */
  delays: number[] = [];
  fail = false;
  async enqueue(id: string, options?: { delaySeconds?: number }) {
    if (this.fail) throw new JobsError('STORAGE_UNAVAILABLE', 'queue down');
    this.sent.push(id);
    this.delays.push(options?.delaySeconds ?? 0);
  }
}

export class RecordingBatch implements BatchPort {
  tasks = new Map<string, TaskSpec>();
  addCalls: number[] = [];
  terminated: string[] = [];
  resizes: { poolId: string; target: number }[] = [];
  pools = new Map<string, PoolSnapshot>();
  taskStates = new Map<string, TaskSnapshot>();
  /** Error codes thrown by the next addTasks calls. */
  addFailures: JobsError[] = [];
  async ensureJob() {}
  async addTasks(_job: string, tasks: TaskSpec[]): Promise<AddTaskOutcome[]> {
    const f = this.addFailures.shift();
    if (f) throw f;
    this.addCalls.push(tasks.length);
    return tasks.map((t) => {
      if (this.tasks.has(t.id)) return { taskId: t.id, status: 'exists' as const };
      this.tasks.set(t.id, t);
      return { taskId: t.id, status: 'added' as const };
    });
  }
  /** Batch jobs that are gone: listing their tasks throws BATCH_JOB_MISSING. */
  missingJobs = new Set<string>();
  listCalls = 0;
  async listTasksChangedSince(batchJobId: string) {
    this.listCalls++;
    if (this.missingJobs.has(batchJobId)) throw new JobsError('BATCH_JOB_MISSING', `Batch job ${batchJobId} does not exist`);
    return [...this.taskStates.values()].filter((t) => this.tasks.has(t.id));
  }
  async listUnfinishedTaskIds(batchJobId: string, maxTasks: number) {
    this.listCalls++;
    if (this.missingJobs.has(batchJobId)) throw new JobsError('BATCH_JOB_MISSING', `Batch job ${batchJobId} does not exist`);
    const states = new Map([...this.taskStates.values()].map((t) => [t.id, t.state]));
    const ids = [...this.tasks.keys()].filter((id) => states.get(id) !== 'completed');
    return { ids: new Set(ids.slice(0, maxTasks)), truncated: ids.length > maxTasks };
  }
  async terminateTask(_job: string, taskId: string) {
    this.terminated.push(taskId);
  }
  /** Active Batch jobs, and the ones with an unfinished task. */
  activeJobs = new Set<string>();
  unfinished = new Set<string>();
  terminatedJobs: string[] = [];
  async listActiveJobs(prefix: string) {
    return [...this.activeJobs].filter((id) => id.startsWith(prefix)).map((id) => ({ id }));
  }
  async hasUnfinishedTasks(batchJobId: string) {
    return this.unfinished.has(batchJobId);
  }
  async terminateJob(batchJobId: string, _reason: string) {
    this.activeJobs.delete(batchJobId);
    this.terminatedJobs.push(batchJobId);
  }
  async getPool(poolId: string) {
    return this.pools.get(poolId) ?? { id: poolId, allocationState: 'steady', currentDedicatedNodes: 0, targetDedicatedNodes: 0, resizeErrors: [] };
  }
  files = new Map<string, string>();
  async readTaskFile(_job: string, taskId: string, file: string, offset: number, maxBytes: number) {
    const text = this.files.get(`${taskId}/${file}`);
    if (text === undefined) return undefined;
    const all = Buffer.from(text);
    return { size: all.length, data: all.subarray(offset, offset + maxBytes) };
  }
  async resizePool(poolId: string, target: number) {
    this.resizes.push({ poolId, target });
    this.pools.set(poolId, { id: poolId, allocationState: 'steady', currentDedicatedNodes: target, targetDedicatedNodes: target, resizeErrors: [] });
  }
}

/** A described pool (policy + the node Batch and the size table describe) for the core's unit tests. */
export function policy(name: string, patch: Record<string, unknown> = {}): DescribedPool {
  const base = name.startsWith('gpu')
    ? { vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 }
    : { vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 };
  const parsed = batchPolicySchema.parse({ kind: 'batch', poolId: name, ...base, ...patch });
  return { ...parsed, vmSize: parsed.vmSize!, gpusPerNode: parsed.gpusPerNode!, cpusPerNode: parsed.cpusPerNode!, memoryGiBPerNode: parsed.memoryGiBPerNode!, taskSlotsPerNode: parsed.taskSlotsPerNode ?? 1, name };
}

/** Both the policy rows and the described pools, from the same list. */
export function policySource(...policies: DescribedPool[]): BatchPolicySource & PoolSource {
  return { list: async () => ({ policies, pools: policies, unusable: [], invalid: [] }) };
}
