// README promises of the job service pinned at their boundaries, with the expected values written here (not read
// from the code's own constants): the Idempotency-Key lifetime, the payload hash over nested fields, the final-state
// guard of updateJob, and the GPU flag of container tasks.
import { describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { taskSpecFor } from '../../../src/jobs/task-spec.js';
import { updateJob } from '../../../src/jobs/update-job.js';
import type { DescribedPool } from '../../../src/jobs/batch-policy.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { MemoryJobStore, RecordingQueue } from './memory-ports.js';

const HOUR = 3_600_000;
const t0 = new Date('2026-11-28T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const spec = (patch: Record<string, unknown> = {}) => jobSpecSchema.parse({ name: 'train', commandLine: 'python train.py', ...patch });

function deps() {
  const store = new MemoryJobStore();
  return { store, deps: { store, queue: new RecordingQueue() } };
}

describe('Idempotency-Key: README "a key is remembered for 24 hours"', () => {
  it('replays the same job one millisecond before 24 hours', async () => {
    const { deps: d } = deps();
    const a = await submitJob(d, { user: 'ann', spec: spec(), idempotencyKey: 'k', now: t0 });
    const b = await submitJob(d, { user: 'ann', spec: spec(), idempotencyKey: 'k', now: at(24 * HOUR - 1) });
    expect(b).toMatchObject({ replayed: true, job: { id: a.job.id } });
  });

  it('still refuses another body with the key at 23 hours', async () => {
    const { deps: d } = deps();
    await submitJob(d, { user: 'ann', spec: spec(), idempotencyKey: 'k', now: t0 });
    await expect(submitJob(d, { user: 'ann', spec: spec({ name: 'other' }), idempotencyKey: 'k', now: at(23 * HOUR) })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('makes a new job at exactly 24 hours', async () => {
    const { deps: d } = deps();
    const a = await submitJob(d, { user: 'ann', spec: spec(), idempotencyKey: 'k', now: t0 });
    const b = await submitJob(d, { user: 'ann', spec: spec(), idempotencyKey: 'k', now: at(24 * HOUR) });
    expect(b.replayed).toBe(false);
    expect(b.job.id).not.toBe(a.job.id);
  });
});

describe('Idempotency-Key: a reused key with any other body is refused, nested fields included', () => {
  const base = { env: { A: '1' }, resources: { gpus: 1, cpus: 4 }, inputs: [{ url: 'https://example.com/data.csv', path: 'data.csv' }] };
  it.each([
    ['resources.gpus', { ...base, resources: { gpus: 2, cpus: 4 } }],
    ['resources.cpus', { ...base, resources: { gpus: 1, cpus: 8 } }],
    ['env.A', { ...base, env: { A: '2' } }],
    ['env (added key)', { ...base, env: { A: '1', B: '1' } }],
    ['inputs.0.path', { ...base, inputs: [{ url: 'https://example.com/data.csv', path: 'other.csv' }] }],
    ['inputs (added item)', { ...base, inputs: [...base.inputs, { url: 'https://example.com/more.csv', path: 'more.csv' }] }],
  ])('%s changed → IDEMPOTENCY_KEY_REUSED, nothing written', async (_field, changed) => {
    const { store, deps: d } = deps();
    await submitJob(d, { user: 'ann', spec: spec(base), idempotencyKey: 'k', now: t0 });
    const writes = store.writes;
    await expect(submitJob(d, { user: 'ann', spec: spec(changed), idempotencyKey: 'k', now: at(1000) })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(store.writes).toBe(writes);
    expect(store.rows.size).toBe(1);
  });
});

describe('updateJob never moves a job out of a final state', () => {
  it.each(['succeeded', 'failed', 'cancelled'] as const)('leaves a %s job as it is, whatever decide() returns, and writes nothing', async (finalState) => {
    const { store, deps: d } = deps();
    const { job } = await submitJob(d, { user: 'ann', spec: spec(), now: t0 });
    store.poke(job.id, { state: finalState });
    const writes = store.writes;
    let asked = 0;
    const outcome = await updateJob(store, job.id, (cur) => {
      asked++;
      return { ...cur, state: 'running' };
    });
    expect(outcome).toMatchObject({ changed: false, stored: { record: { state: finalState } } });
    expect(asked).toBe(0);
    expect(store.writes).toBe(writes);
  });

  // The state-transition check alone would let this through (same state, no transition): only the final-state guard
  // keeps a finished job's outcome from being rewritten.
  it.each(['succeeded', 'failed', 'cancelled'] as const)('keeps a %s job\'s outcome when decide() returns the same state with other fields', async (finalState) => {
    const { store, deps: d } = deps();
    const { job } = await submitJob(d, { user: 'ann', spec: spec(), now: t0 });
    store.poke(job.id, { state: finalState, reason: 'as it ended', endTime: '2026-11-28T11:00:00.000Z' });
    const writes = store.writes;
    const outcome = await updateJob(store, job.id, (cur) => ({ ...cur, reason: 'rewritten', endTime: '2026-11-28T12:00:00.000Z' }));
    expect(outcome?.changed).toBe(false);
    expect((await store.get(job.id))!.record).toMatchObject({ state: finalState, reason: 'as it ended', endTime: '2026-11-28T11:00:00.000Z' });
    expect(store.writes).toBe(writes);
  });

  it('re-reads after losing a race to a writer that finished the job, and then changes nothing', async () => {
    const { store, deps: d } = deps();
    const { job } = await submitJob(d, { user: 'ann', spec: spec(), now: t0 });
    store.beforeNextReplace = () => store.poke(job.id, { state: 'succeeded' });
    const outcome = await updateJob(store, job.id, (cur) => ({ ...cur, state: 'cancelled' }));
    expect(outcome).toMatchObject({ changed: false, stored: { record: { state: 'succeeded' } } });
  });
});

describe('container tasks: README "GPU jobs in a container get the GPUs (--gpus all)"', () => {
  const policy = { name: 'gpu', kind: 'batch', poolId: 'gpu', defaultTimeoutMinutes: 60, defaultRetries: 0 } as unknown as DescribedPool;
  const record = (patch: Record<string, unknown>): JobRecord =>
    ({ id: 'j1', user: 'ann', name: 'train', spec: spec(patch), specHash: 'h', state: 'dispatching', submittedAt: t0.toISOString(), updatedAt: t0.toISOString(), dispatchAttempts: 0 }) as JobRecord;
  it.each([
    [{ containerImage: 'nvcr.io/nvidia/pytorch:24.01-py3', resources: { gpus: 1 } }, '--gpus all'],
    [{ containerImage: 'nvcr.io/nvidia/pytorch:24.01-py3', resources: { gpus: 4 } }, '--gpus all'],
    [{ containerImage: 'python:3.12', resources: { gpus: 0 } }, undefined],
    [{ resources: { gpus: 1 } }, undefined],
  ])('%j → containerRunOptions %s', (patch, expected) => {
    expect(taskSpecFor(record(patch), policy, 1).containerRunOptions).toBe(expected);
  });
});
