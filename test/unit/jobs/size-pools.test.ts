// The pool sizing step of sync: which jobs make a pool's demand, what is resized (or only reported in dry run),
// the errors a pool or policy reports, and when the pool's state row is written.
import { beforeEach, describe, expect, it } from 'vitest';
import type { DescribedPool } from '../../../src/jobs/batch-policy.js';
import type { PoolSnapshot } from '../../../src/jobs/batch.port.js';
import { JobsError } from '../../../src/jobs/errors.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { sizePools, usageByUser, type SizingReport } from '../../../src/jobs/size-pools.js';
import { MemoryJobStore, policy, RecordingBatch } from './memory-ports.js';

const now = new Date('2026-11-02T09:00:00Z');
let n = 0;
const job = (state: JobState, patch: Partial<JobRecord> = {}, spec: Record<string, unknown> = {}): JobRecord => ({
  id: `00000000000a-0000000000001-${String(n++).padStart(6, '0')}`,
  user: 'ann',
  name: 'j',
  spec: jobSpecSchema.parse({ name: 'j', commandLine: 'x', resources: { gpus: 1 }, ...spec }),
  specHash: 'h',
  state,
  pool: state === 'queued' ? undefined : 'gpu',
  submittedAt: '2026-11-02T08:00:00Z',
  updatedAt: '2026-11-02T08:00:00Z',
  dispatchAttempts: 0,
  ...patch,
});

describe('usageByUser', () => {
  it("lists each user's use of the pool, summed over their jobs, leaving out users with nothing there", () => {
    const records = [
      job('running'),
      job('dispatched'),
      job('queued', { user: 'bob', waitingFor: 'your GPU limit' }, { pool: 'gpu' }),
      job('running', { user: 'cid', pool: 'gpu2' }),
      job('succeeded', { user: 'dee' }),
    ];
    expect(usageByUser(records, 'gpu')).toEqual({
      ann: { gpus: 2, tasks: 2, queued: 1, held: 0 },
      bob: { gpus: 0, tasks: 0, queued: 0, held: 1 },
    });
  });
});

let store: MemoryJobStore;
let batch: RecordingBatch;
let remembered: [string, PoolSnapshot | undefined][];
let failures: string[];
let listOptions: unknown[];
let policies: DescribedPool[];
let invalid: { name: string; problems: string[] }[];
let poolWrites: number;
const deps = () => ({
  store,
  batch,
  policies: {
    list: async (options?: { fresh?: boolean }) => {
      listOptions.push(options);
      return { policies, invalid };
    },
  },
  remember: (poolId: string, s: PoolSnapshot | undefined) => void remembered.push([poolId, s]),
});
const tick = async (records: JobRecord[], at = now) => {
  const report: SizingReport = { pools: [], errors: [] };
  await sizePools(deps(), records, at, report, (scope, e) => void failures.push(`${scope}: ${(e as JobsError).code}`));
  return report;
};
beforeEach(() => {
  store = new MemoryJobStore();
  const put = store.putPoolState.bind(store);
  poolWrites = 0;
  store.putPoolState = async (pool, s) => {
    poolWrites++;
    await put(pool, s);
  };
  batch = new RecordingBatch();
  remembered = [];
  failures = [];
  listOptions = [];
  policies = [policy('gpu'), policy('cpu')];
  invalid = [];
});

describe('sizePools: demand and resize', () => {
  it('grows a pool for the jobs that need it: routed or not yet, array tasks each, but not held or finished jobs', async () => {
    const records = [
      job('queued'),
      job('running'),
      job('queued', { waitingFor: 'waiting for your job prep' }),
      job('succeeded'),
      job('failed'),
      { ...job('running', {}, { array: { size: 3 } }), taskStates: 'srr' },
      job('queued', {}, { resources: { gpus: 0 } }),
    ];
    const report = await tick(records);
    expect(report.pools).toEqual([
      { pool: 'gpu', action: 'resize', targetDedicatedNodes: 4, reason: '3 job(s) need 4 slot(s): 0 → 4 nodes (max 4)' },
      { pool: 'cpu', action: 'resize', targetDedicatedNodes: 1, reason: '1 job(s) need 1 slot(s): 0 → 1 nodes (max 4)' },
    ]);
    expect(batch.resizes).toEqual([
      { poolId: 'gpu', target: 4 },
      { poolId: 'cpu', target: 1 },
    ]);
    expect(listOptions).toEqual([{ fresh: true }]);
    expect(remembered.map(([id, s]) => [id, s?.id])).toEqual([
      ['gpu', 'gpu'],
      ['cpu', 'cpu'],
    ]);
  });

  it('counts a job on the pool it was sent to, even where routing would now choose another', async () => {
    const report = await tick([job('running', {}, { resources: { gpus: 0 } })]);
    expect(report.pools.map((p) => [p.pool, p.targetDedicatedNodes])).toEqual([
      ['gpu', 1],
      ['cpu', 0],
    ]);
  });

  it('in dry run decides the size but does not resize; an idle dry-run pool reports no action', async () => {
    policies = [policy('gpu', { dryRun: true })];
    expect((await tick([job('queued')])).pools).toEqual([{ pool: 'gpu', action: 'dry-run', targetDedicatedNodes: 1, reason: '1 job(s) need 1 slot(s): 0 → 1 nodes (max 4)' }]);
    expect((await tick([])).pools).toEqual([{ pool: 'gpu', action: 'none', targetDedicatedNodes: 0, reason: 'idle at minNodes 0' }]);
    expect(batch.resizes).toEqual([]);
  });

  it("reports the pool's own target when it does not resize", async () => {
    batch.pools.set('gpu', { id: 'gpu', allocationState: 'steady', currentDedicatedNodes: 2, targetDedicatedNodes: 2, resizeErrors: [] });
    policies = [policy('gpu')];
    expect((await tick([job('running')])).pools).toEqual([{ pool: 'gpu', action: 'none', targetDedicatedNodes: 2, reason: '1 job(s) active; 2 node(s) suffice' }]);
  });

  it('skips a disabled policy: no Batch read, no sizing', async () => {
    policies = [policy('gpu', { enabled: false })];
    expect((await tick([job('queued')])).pools).toEqual([]);
    expect(remembered).toEqual([]);
  });
});

describe('sizePools: errors', () => {
  it('reports invalid policies with their problems', async () => {
    invalid = [{ name: 'bad', problems: ['maxNodes: must be a number', 'minNodes: must not exceed maxNodes (4)'] }];
    expect((await tick([])).errors).toEqual([{ scope: 'policy bad', code: 'POLICY_INVALID', message: 'maxNodes: must be a number; minNodes: must not exceed maxNodes (4)' }]);
  });

  it('reports a pool Batch does not have as unusable, and remembers that it is missing', async () => {
    policies = [policy('gpu')];
    batch.getPool = async () => Promise.reject(new JobsError('BATCH_NOT_FOUND', 'no pool'));
    const report = await tick([job('queued')]);
    expect(report.errors).toEqual([
      {
        scope: 'pool gpu',
        code: 'BATCH_POOL_UNUSABLE',
        message: `Batch pool "gpu" does not exist in the Batch account; create it, or point the policy's poolId at a pool that exists`,
      },
    ]);
    expect(report.pools).toEqual([]);
    expect(remembered).toEqual([['gpu', undefined]]);
    expect(failures).toEqual([]);
  });

  it("passes any other Batch error to fail, and still sizes the other pools", async () => {
    batch.getPool = async (id) => (id === 'gpu' ? Promise.reject(new JobsError('BATCH_THROTTLED', 'busy')) : { id, allocationState: 'steady', currentDedicatedNodes: 0, targetDedicatedNodes: 0, resizeErrors: [] });
    const report = await tick([]);
    expect(failures).toEqual(['pool gpu: BATCH_THROTTLED']);
    expect(report.pools.map((p) => p.pool)).toEqual(['cpu']);
    expect(remembered.map(([id]) => id)).toEqual(['cpu']);
  });

  it('passes a failed policy read to fail and sizes nothing', async () => {
    const failing = { ...deps(), policies: { list: async () => Promise.reject(new JobsError('STORAGE_UNAVAILABLE', 'down')) } };
    const report: SizingReport = { pools: [], errors: [] };
    await sizePools(failing, [], now, report, (scope, e) => void failures.push(`${scope}: ${(e as JobsError).code}`));
    expect(failures).toEqual(['policies: STORAGE_UNAVAILABLE']);
    expect(report).toEqual({ pools: [], errors: [] });
  });

  it('passes a failed pool state read to fail, naming the pool', async () => {
    policies = [policy('gpu')];
    store.getPoolState = async () => Promise.reject(new JobsError('STORAGE_THROTTLED', 'slow down'));
    await tick([]);
    expect(failures).toEqual(['pool gpu: STORAGE_THROTTLED']);
  });

  it('says why a pool cannot grow', async () => {
    policies = [policy('gpu')];
    batch.pools.set('gpu', { id: 'gpu', allocationState: 'steady', currentDedicatedNodes: 0, targetDedicatedNodes: 0, resizeErrors: [{ code: 'AccountCoreQuotaReached', message: 'quota' }] });
    const report = await tick([]);
    expect(report.errors).toEqual([
      { scope: 'pool gpu', code: 'POOL_CANNOT_GROW', message: "GPU pool 'gpu' cannot grow (0 node(s) running): AccountCoreQuotaReached — ask your admin to raise the Batch core quota for Standard_NC4as_T4_v3" },
    ]);
    expect((await store.getPoolState('gpu')).problem).toBe(report.errors[0]!.message);
  });
});

describe('sizePools: the pool state row', () => {
  beforeEach(() => {
    policies = [policy('gpu')];
  });

  it('writes when the pool turns idle, and not again while nothing changes', async () => {
    await tick([]);
    expect(poolWrites).toBe(1);
    expect(await store.getPoolState('gpu')).toMatchObject({ idleSince: now.toISOString(), usage: {}, usageAt: now.toISOString() });
    await tick([], new Date(now.getTime() + 60_000));
    expect(poolWrites).toBe(1);
  });

  it("writes when a user's use changes, even while idleSince and the problem stay the same", async () => {
    batch.pools.set('gpu', { id: 'gpu', allocationState: 'steady', currentDedicatedNodes: 2, targetDedicatedNodes: 2, resizeErrors: [] });
    await tick([job('running')]);
    expect(poolWrites).toBe(1);
    await tick([job('running')]);
    expect(poolWrites).toBe(1);
    await tick([job('running'), job('running', { user: 'bob' })]);
    expect(poolWrites).toBe(2);
    expect((await store.getPoolState('gpu')).usage).toEqual({ ann: { gpus: 1, tasks: 1, queued: 0, held: 0 }, bob: { gpus: 1, tasks: 1, queued: 0, held: 0 } });
  });

  it('writes when a problem clears', async () => {
    store.pools.set('gpu', { idleSince: now.toISOString(), problem: 'old problem', usage: {} });
    await tick([]);
    expect(poolWrites).toBe(1);
    expect((await store.getPoolState('gpu')).problem).toBeUndefined();
  });

  it('reads a state row without usage as no usage, so an idle pool is not rewritten', async () => {
    store.pools.set('gpu', { idleSince: now.toISOString() });
    await tick([]);
    expect(poolWrites).toBe(0);
  });
});
