import { JobsError } from '../../../src/jobs/errors.js';
import { describe, expect, it } from 'vitest';
import type { BatchPolicySet } from '../../../src/jobs/batch-policy-source.port.js';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import type { PoolCatalogSet, PoolSource } from '../../../src/jobs/pool-catalog.js';
import { MemoryJobStore, policy as described, policySource, RecordingQueue } from './memory-ports.js';

const spec = (patch = {}) => jobSpecSchema.parse({ name: 'train', commandLine: 'python train.py', ...patch });
const t0 = new Date('2026-11-28T10:00:00Z');

function setup() {
  const store = new MemoryJobStore();
  const queue = new RecordingQueue();
  return { store, queue, deps: { store, queue } };
}

describe('submit', () => {
  it('writes the active index row with the record, then enqueues the job; the all row is left to dispatch', async () => {
    const { store, queue, deps } = setup();
    const order: string[] = [];
    const create = store.create.bind(store);
    const addIndexes = store.addIndexes.bind(store);
    store.create = async (...a) => (order.push('record'), create(...a));
    store.addIndexes = async (r, which) => (order.push('indexes'), addIndexes(r, which));
    const { job } = await submitJob(deps, { user: 'ann', spec: spec(), now: t0 });
    expect(job.state).toBe('queued');
    expect(order).toEqual(['indexes', 'record']);
    expect(store.rows.has(job.id)).toBe(true);
    expect(store.active.get(job.id)).toBe(t0.toISOString());
    expect(store.all.has(job.id)).toBe(false);
    expect(queue.sent).toEqual([job.id]);
  });

  it('accepts the job when only the index write failed but the message went out (dispatch writes the rows), and refuses it when the message failed too', async () => {
    const { store, queue, deps } = setup();
    store.addIndexes = async () => {
      throw new JobsError('STORAGE_UNAVAILABLE', 'index batch failed');
    };
    const { job } = await submitJob(deps, { user: 'ann', spec: spec(), now: t0 });
    expect(queue.sent).toEqual([job.id]);
    queue.fail = true;
    await expect(submitJob(deps, { user: 'ann', spec: spec(), now: t0 })).rejects.toBeDefined();
  });

  it('leaves a record that storage wrote after the caller was told it failed findable by sync (its active row went out with it)', async () => {
    const { store, deps } = setup();
    const create = store.create.bind(store);
    // The insert reaches storage but its answer never comes back (the client abandoned the request).
    store.create = async (...a) => {
      await create(...a);
      throw new JobsError('STORAGE_UNAVAILABLE', 'creating job: the request was abandoned');
    };
    await expect(submitJob(deps, { user: 'ann', spec: spec(), now: t0 })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    const [id] = [...store.rows.keys()];
    expect(store.active.has(id!)).toBe(true);
  });

  it('keeps the job when the enqueue fails, and writes its active index row so the sweeper re-enqueues it', async () => {
    const { store, queue, deps } = setup();
    queue.fail = true;
    const { job } = await submitJob(deps, { user: 'ann', spec: spec(), now: t0 });
    expect(store.rows.get(job.id)?.record.state).toBe('queued');
    expect(store.active.has(job.id)).toBe(true);
  });

  it('returns the same job for the same key and body, with keys in any order', async () => {
    const { store, deps } = setup();
    const a = await submitJob(deps, { user: 'ann', spec: spec({ env: { A: '1', B: '2' } }), idempotencyKey: 'k1', now: t0 });
    const b = await submitJob(deps, { user: 'ann', spec: spec({ env: { B: '2', A: '1' } }), idempotencyKey: 'k1', now: new Date(t0.getTime() + 1000) });
    expect(b.job.id).toBe(a.job.id);
    expect(b.replayed).toBe(true);
    expect(store.rows.size).toBe(1);
  });

  it('refuses the same key with a different body', async () => {
    const { store, deps } = setup();
    await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    await expect(submitJob(deps, { user: 'ann', spec: spec({ name: 'other' }), idempotencyKey: 'k1', now: t0 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(store.rows.size).toBe(1);
  });

  it('scopes keys per user', async () => {
    const { deps } = setup();
    const a = await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    const b = await submitJob(deps, { user: 'bob', spec: spec(), idempotencyKey: 'k1', now: t0 });
    expect(b.job.id).not.toBe(a.job.id);
  });

  it('re-enqueues a replayed job that is still queued', async () => {
    const { queue, deps } = setup();
    const a = await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    expect(queue.sent).toEqual([a.job.id, a.job.id]);
  });

  it('orders a user\'s jobs newest first by id', async () => {
    const { store, deps } = setup();
    const first = await submitJob(deps, { user: 'ann', spec: spec(), now: t0 });
    const second = await submitJob(deps, { user: 'ann', spec: spec(), now: new Date(t0.getTime() + 1) });
    const page = await store.listByUser('ann', { top: 10 });
    expect(page.items.map((j) => j.id)).toEqual([second.job.id, first.job.id]);
  });
});

describe('submit of a job pinned to a pool', () => {
  const policy = (name: string, patch = {}) => ({ ...batchPolicySchema.parse({ kind: 'batch', poolId: name, ...patch }), name });
  /** A policy source whose cached list differs from the fresh one, recording which was read. */
  function source(cached: BatchPolicySet, fresh: BatchPolicySet = cached) {
    const reads: string[] = [];
    const list = async (o?: { fresh?: boolean }) => (reads.push(o?.fresh ? 'fresh' : 'cached'), o?.fresh ? fresh : cached);
    return { reads, policies: { list } };
  }

  it('stores and enqueues nothing for a pool with no batch policy, a disabled one or an invalid row, and names the enabled pools', async () => {
    const set: BatchPolicySet = { policies: [policy('cpu'), policy('gpu'), policy('off', { enabled: false })], invalid: [{ name: 'broken', problems: ['maxNodes: must be at most 1000'] }], vmPools: ['dsvm'] };
    for (const [pool, why] of [
      ['dsvm', 'pool "dsvm" is a VM pool for interactive sessions (`dsvm-pool connect dsvm` or `dsvm-pool ssh dsvm`), not a Batch pool for jobs; enabled Batch pools: cpu, gpu.'],
      ['nope', 'there is no Batch pool "nope" (no policy of kind batch by that name); enabled Batch pools: cpu, gpu. Use "auto" or one of those.'],
      ['off', 'pool "off"\'s batch policy is disabled (enabled: false); enabled Batch pools: cpu, gpu.'],
      ['broken', 'pool "broken"\'s batch policy is invalid (maxNodes: must be at most 1000), so it takes no jobs until an admin fixes it;'],
    ] as const) {
      const { store, queue } = setup();
      const { policies } = source(set);
      const refused = submitJob({ store, queue, policies }, { user: 'ann', spec: spec({ pool }), now: t0 });
      await expect(refused).rejects.toMatchObject({ code: 'ROUTE_UNKNOWN_POOL', errors: [{ field: 'pool' }] });
      await expect(refused).rejects.toThrow(why);
      expect(store.rows.size).toBe(0);
      expect(store.active.size).toBe(0);
      expect(queue.sent).toEqual([]);
    }
    const { policies } = source({ policies: [], invalid: [] });
    await expect(submitJob({ ...setup().deps, policies }, { user: 'ann', spec: spec({ pool: 'x' }), now: t0 })).rejects.toThrow('no Batch pool is enabled');
  });

  it('reads the cached list only for an enabled pool or "auto", and the fresh list before refusing (a pool saved a moment ago counts)', async () => {
    const known = source({ policies: [policy('cpu')], invalid: [] });
    await submitJob({ ...setup().deps, policies: known.policies }, { user: 'ann', spec: spec({ pool: 'cpu' }), now: t0 });
    await submitJob({ ...setup().deps, policies: known.policies }, { user: 'ann', spec: spec(), now: t0 });
    expect(known.reads).toEqual(['cached']);
    const saved = source({ policies: [], invalid: [] }, { policies: [policy('new')], invalid: [] });
    const { job } = await submitJob({ ...setup().deps, policies: saved.policies }, { user: 'ann', spec: spec({ pool: 'new' }), now: t0 });
    expect(job.state).toBe('queued');
    expect(saved.reads).toEqual(['cached', 'fresh']);
  });

  it('reads the fresh list for a pool not enabled in the cached one, though other pools are', async () => {
    for (const cached of [[policy('cpu')], [policy('new', { enabled: false }), policy('cpu')]]) {
      const saved = source({ policies: cached, invalid: [] }, { policies: [policy('cpu'), policy('new')], invalid: [] });
      const { job } = await submitJob({ ...setup().deps, policies: saved.policies }, { user: 'ann', spec: spec({ pool: 'new' }), now: t0 });
      expect(job.state).toBe('queued');
      expect(saved.reads).toEqual(['cached', 'fresh']);
    }
  });

  it('lists every problem of an invalid policy row', async () => {
    const { policies } = source({ policies: [], invalid: [{ name: 'broken', problems: ['maxNodes: must be at most 1000', 'minNodes: must not exceed maxNodes (4)'] }] });
    await expect(submitJob({ ...setup().deps, policies }, { user: 'ann', spec: spec({ pool: 'broken' }), now: t0 })).rejects.toThrow(
      'pool "broken"\'s batch policy is invalid (maxNodes: must be at most 1000; minNodes: must not exceed maxNodes (4)), so it takes no jobs until an admin fixes it; no Batch pool is enabled.',
    );
  });
});

describe('submit of a job no node can hold', () => {
  const cpu = described('cpu'); // Standard_D4s_v5: 0 GPUs, 4 vCPUs, 16 GiB
  const gpu = described('gpu'); // Standard_NC4as_T4_v3: 1 GPU, 4 vCPUs, 28 GiB
  const catalog = (pools: PoolCatalogSet['pools'], unusable: PoolCatalogSet['unusable'] = []): PoolCatalogSet => ({ pools, unusable, invalid: [] });
  /** The pool catalog as submit sees it: `cached` first, `fresh` on a fresh read (a function may throw or hang). */
  function catalogSource(cached: PoolCatalogSet | (() => Promise<PoolCatalogSet>), fresh = cached) {
    const reads: string[] = [];
    const answer = (a: typeof cached) => (typeof a === 'function' ? a() : Promise.resolve(a));
    const pools: PoolSource = { list: async (o) => (reads.push(o?.fresh ? 'fresh' : 'cached'), answer(o?.fresh ? fresh : cached)) };
    return { reads, pools };
  }
  const submitTo = (pools: PoolSource, patch: Record<string, unknown>, extra: { poolFactsWaitMs?: number } = {}) => {
    const { store, queue } = setup();
    const done = submitJob({ store, queue, policies: policySource(cpu, gpu), pools, ...extra }, { user: 'ann', spec: spec(patch), now: t0 });
    return { store, queue, done };
  };

  it('accepts the largest job a node of the pinned pool holds, and refuses one vCPU or a fraction of a GiB more, storing and enqueuing nothing', async () => {
    const { pools } = catalogSource(catalog([cpu, gpu]));
    const fits = submitTo(pools, { pool: 'cpu', resources: { cpus: 4, memoryGiB: 16 } });
    expect((await fits.done).job.state).toBe('queued');
    expect(fits.queue.sent).toHaveLength(1);
    for (const [resources, errors] of [
      [{ cpus: 5, memoryGiB: 16 }, [{ field: 'resources.cpus', message: 'needs 5 vCPUs, a node of pool "cpu" (Standard_D4s_v5) has 4' }]],
      [{ cpus: 4, memoryGiB: 16.5 }, [{ field: 'resources.memoryGiB', message: 'needs 16.5 GiB memory, a node of pool "cpu" (Standard_D4s_v5) has 16' }]],
      [{ gpus: 1 }, [{ field: 'resources.gpus', message: 'needs 1 GPUs, a node of pool "cpu" (Standard_D4s_v5) has 0' }]],
    ] as const) {
      const { store, queue, done } = submitTo(pools, { pool: 'cpu', resources });
      await expect(done).rejects.toMatchObject({ code: 'ROUTE_IMPOSSIBLE', message: `${errors[0].message}. Ask for less or choose another pool.`, errors });
      expect(store.rows.size).toBe(0);
      expect(store.active.size).toBe(0);
      expect(queue.sent).toEqual([]);
    }
  });

  it('refuses a job pinned to a described pool that cannot hold it even while another pool is undescribed', async () => {
    const { pools } = catalogSource(catalog([gpu], [{ name: 'cpu', poolId: 'cpu', reason: 'Batch pool "cpu" does not exist in the Batch account' }]));
    const { store, queue, done } = submitTo(pools, { pool: 'gpu', resources: { gpus: 2 } });
    await expect(done).rejects.toMatchObject({ code: 'ROUTE_IMPOSSIBLE', errors: [{ field: 'resources.gpus', message: 'needs 2 GPUs, a node of pool "gpu" (Standard_NC4as_T4_v3) has 1' }] });
    expect(store.rows.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('refuses an "auto" job beyond the largest node of its kind, or with no pool of its kind while other pools exist, naming the field', async () => {
    const { pools } = catalogSource(catalog([cpu, gpu]));
    await expect(submitTo(pools, { resources: { gpus: 1, cpus: 4, memoryGiB: 28 } }).done).resolves.toMatchObject({ job: { state: 'queued' } });
    await expect(submitTo(pools, { resources: { gpus: 2 } }).done).rejects.toMatchObject({
      code: 'ROUTE_IMPOSSIBLE',
      message: 'no GPU pool can run this job: needs 2 GPUs, largest GPU node has 1. Ask for less.',
      errors: [{ field: 'resources.gpus', message: 'needs 2 GPUs, largest GPU node has 1' }],
    });
    await expect(submitTo(pools, { resources: { cpus: 5 } }).done).rejects.toMatchObject({ code: 'ROUTE_IMPOSSIBLE', errors: [{ field: 'resources.cpus', message: 'needs 5 vCPUs, largest CPU node has 4' }] });
    const cpuOnly = catalogSource(catalog([cpu])).pools;
    await expect(submitTo(cpuOnly, { resources: { gpus: 1 } }).done).rejects.toMatchObject({
      code: 'ROUTE_NO_POOL',
      message: 'no enabled GPU pool is configured; an admin must add a batch policy with gpusPerNode > 0.',
      errors: [{ field: 'resources.gpus', message: 'no enabled GPU pool is configured' }],
    });
    // No Batch pool at all (the job service is not set up): accepted, and dispatch fails it with ROUTE_NO_POOL.
    const none = catalogSource(catalog([])).pools;
    await expect(submitTo(none, { resources: { gpus: 1 } }).done).resolves.toMatchObject({ job: { state: 'queued' } });
  });

  it('accepts the job unchecked when the pool facts cannot be had: Batch throttling, a read that does not answer in time, a pool Batch does not have yet', async () => {
    const throttled = catalogSource(async () => {
      throw new JobsError('BATCH_THROTTLED', 'Batch 429: TooManyRequests');
    });
    const hung = catalogSource(() => new Promise<PoolCatalogSet>(() => undefined));
    const missing = catalogSource(catalog([gpu], [{ name: 'cpu', poolId: 'cpu', reason: 'Batch pool "cpu" does not exist in the Batch account' }]));
    for (const [pools, patch] of [
      [throttled.pools, { pool: 'cpu', resources: { cpus: 64 } }],
      [throttled.pools, { resources: { gpus: 8 } }],
      [hung.pools, { pool: 'cpu', resources: { cpus: 64 } }],
      [missing.pools, { pool: 'cpu', resources: { cpus: 64 } }],
      // An "auto" job while a pool is undescribed: that pool may be the one that fits.
      [missing.pools, { resources: { cpus: 64 } }],
    ] as const) {
      const { store, queue, done } = submitTo(pools, patch, { poolFactsWaitMs: 20 });
      const { job } = await done;
      expect(job.state).toBe('queued');
      expect(store.rows.has(job.id)).toBe(true);
      expect(queue.sent).toEqual([job.id]);
    }
  });

  it('reads the cached catalog only for a job that fits, and confirms a refusal on a fresh read (a policy saved a moment ago counts)', async () => {
    const fitting = catalogSource(catalog([cpu, gpu]));
    await submitTo(fitting.pools, { pool: 'cpu', resources: { cpus: 4 } }).done;
    expect(fitting.reads).toEqual(['cached']);
    // The cached policy still says maxNodes 0; an admin has just let the pool grow.
    const saved = catalogSource(catalog([described('cpu', { minNodes: 0, maxNodes: 0 }), gpu]), catalog([cpu, gpu]));
    await expect(submitTo(saved.pools, { pool: 'cpu' }).done).resolves.toMatchObject({ job: { state: 'queued' } });
    expect(saved.reads).toEqual(['cached', 'fresh']);
    const still = catalogSource(catalog([described('cpu', { minNodes: 0, maxNodes: 0 }), gpu]));
    await expect(submitTo(still.pools, { pool: 'cpu' }).done).rejects.toMatchObject({ code: 'ROUTE_IMPOSSIBLE', errors: [{ field: 'pool', message: 'pool "cpu" has maxNodes 0' }] });
    expect(still.reads).toEqual(['cached', 'fresh']);
    // A fresh read that fails leaves the job to dispatch.
    const flaky = catalogSource(catalog([cpu, gpu]), async () => {
      throw new JobsError('BATCH_UNAVAILABLE', 'Batch 503: ServerBusy');
    });
    await expect(submitTo(flaky.pools, { pool: 'cpu', resources: { cpus: 8 } }).done).resolves.toMatchObject({ job: { state: 'queued' } });
  });

  it('checks the pinned pool\'s name before its fit, and the fit only with a catalog', async () => {
    const { pools, reads } = catalogSource(catalog([cpu, gpu]));
    await expect(submitTo(pools, { pool: 'nope', resources: { cpus: 64 } }).done).rejects.toMatchObject({ code: 'ROUTE_UNKNOWN_POOL' });
    expect(reads).toEqual([]);
    const { store, queue } = setup();
    await expect(submitJob({ store, queue, policies: policySource(cpu) }, { user: 'ann', spec: spec({ pool: 'cpu', resources: { cpus: 64 } }), now: t0 })).resolves.toMatchObject({ job: { state: 'queued' } });
  });
});

describe('submit of a job with dependencies', () => {
  /** A job id in ann's partition (user key 49915e0d7d4b: sha256 of "ann") that no job has. */
  const ANN_MISSING = '49915e0d7d4b-0000000000001-aaaaaa';

  async function annJob(deps: ReturnType<typeof setup>['deps'], name: string) {
    return (await submitJob(deps, { user: 'ann', spec: spec({ name }), now: t0 })).job.id;
  }

  it('accepts dependencies on the caller\'s own queued, running or succeeded jobs', async () => {
    const { store, queue, deps } = setup();
    const ids = [await annJob(deps, 'a'), await annJob(deps, 'b'), await annJob(deps, 'c')];
    store.poke(ids[1]!, { state: 'running' });
    store.poke(ids[2]!, { state: 'succeeded' });
    const { job } = await submitJob(deps, { user: 'ann', spec: spec({ dependsOn: ids }), now: t0 });
    expect(job.spec.dependsOn).toEqual(ids);
    expect(queue.sent).toEqual([...ids, job.id]);
  });

  it('refuses, storing nothing, a dependency that is failed or cancelled, naming each field in order', async () => {
    const { store, queue, deps } = setup();
    const failed = await annJob(deps, 'prep');
    const cancelled = await annJob(deps, 'eval');
    store.poke(failed, { state: 'failed' });
    store.poke(cancelled, { state: 'cancelled' });
    const refused = submitJob(deps, { user: 'ann', spec: spec({ name: 'train', dependsOn: [failed, cancelled] }), now: t0 });
    await expect(refused).rejects.toMatchObject({
      code: 'DEPENDENCY_INVALID',
      message: `dependsOn.0: job ${failed} (prep) already failed; it can never succeed; dependsOn.1: job ${cancelled} (eval) already cancelled; it can never succeed`,
      errors: [
        { field: 'dependsOn.0', message: `job ${failed} (prep) already failed; it can never succeed` },
        { field: 'dependsOn.1', message: `job ${cancelled} (eval) already cancelled; it can never succeed` },
      ],
    });
    expect(store.rows.size).toBe(2);
    expect(queue.sent).toEqual([failed, cancelled]);
  });

  it('refuses a job id that does not exist or is another user\'s, without reading another user\'s partition, fields in index order', async () => {
    const { store, deps } = setup();
    await submitJob(deps, { user: 'bob', spec: spec(), now: t0 });
    const bobs = [...store.rows.keys()][0]!;
    const read: string[] = [];
    const get = store.get.bind(store);
    store.get = async (id) => (read.push(id), get(id));
    // The first id is looked up (ann's partition, nothing there); the second is refused without a read, so its
    // problem is found first: the refusal still lists dependsOn.0 before dependsOn.1.
    const refused = submitJob(deps, { user: 'ann', spec: spec({ dependsOn: [ANN_MISSING, bobs] }), now: t0 });
    await expect(refused).rejects.toMatchObject({
      code: 'DEPENDENCY_INVALID',
      message: `dependsOn.0: no job ${ANN_MISSING} of yours; dependsOn.1: no job ${bobs} of yours`,
      errors: [
        { field: 'dependsOn.0', message: `no job ${ANN_MISSING} of yours` },
        { field: 'dependsOn.1', message: `no job ${bobs} of yours` },
      ],
    });
    expect(read).toEqual([ANN_MISSING]);
  });

  it('refuses a record in the caller\'s partition whose owner is another user (a user-key collision)', async () => {
    const { store, deps } = setup();
    const id = await annJob(deps, 'prep');
    store.poke(id, { user: 'mallory' });
    await expect(submitJob(deps, { user: 'ann', spec: spec({ dependsOn: [id] }), now: t0 })).rejects.toMatchObject({
      code: 'DEPENDENCY_INVALID',
      errors: [{ field: 'dependsOn.0', message: `no job ${id} of yours` }],
    });
  });
});

describe('submit replaying an Idempotency-Key', () => {
  it('names the key and the job when the body differs', async () => {
    const { deps } = setup();
    const a = await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    await expect(submitJob(deps, { user: 'ann', spec: spec({ name: 'other' }), idempotencyKey: 'k1', now: t0 })).rejects.toThrow(
      `Idempotency-Key "k1" was already used for job ${a.job.id} with a different body. Use a new key for a different job, or resend the original body.`,
    );
  });

  it('answers JOB_NOT_FOUND naming the job and key when the key\'s job is gone', async () => {
    const { store, deps } = setup();
    const a = await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    store.rows.delete(a.job.id);
    const replay = submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    await expect(replay).rejects.toMatchObject({ code: 'JOB_NOT_FOUND', message: `job ${a.job.id} of Idempotency-Key "k1" is gone` });
  });

  it('does not enqueue a replayed job again once it left queued', async () => {
    const { store, queue, deps } = setup();
    const a = await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    store.poke(a.job.id, { state: 'running' });
    const b = await submitJob(deps, { user: 'ann', spec: spec(), idempotencyKey: 'k1', now: t0 });
    expect(b).toMatchObject({ replayed: true, job: { id: a.job.id, state: 'running' } });
    expect(queue.sent).toEqual([a.job.id]);
  });
});

describe('submit of a job with more than ten dependencies', () => {
  it('lists refused fields in index order, dependsOn.2 before dependsOn.10', async () => {
    const { store, deps } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await submitJob(deps, { user: 'ann', spec: spec({ name: `p${i}` }), now: new Date(t0.getTime() + i) })).job.id);
    const bobs = (await submitJob(deps, { user: 'bob', spec: spec(), now: t0 })).job.id;
    store.rows.delete(ids[2]!);
    ids[10] = bobs;
    await expect(submitJob(deps, { user: 'ann', spec: spec({ dependsOn: ids }), now: t0 })).rejects.toMatchObject({
      errors: [{ field: 'dependsOn.2' }, { field: 'dependsOn.10' }],
    });
  });
});
