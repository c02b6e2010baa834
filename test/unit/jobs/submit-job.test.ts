import { JobsError } from '../../../src/jobs/errors.js';
import { describe, expect, it } from 'vitest';
import type { BatchPolicySet } from '../../../src/jobs/batch-policy-source.port.js';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { MemoryJobStore, RecordingQueue } from './memory-ports.js';

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
    const set: BatchPolicySet = { policies: [policy('cpu'), policy('gpu'), policy('off', { enabled: false })], invalid: [{ name: 'broken', problems: ['maxNodes: must be at most 1000'] }] };
    for (const [pool, why] of [
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
});
