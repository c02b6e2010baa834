// Pools described by Batch: VM size, task slots and existence come from the Batch pool, not from the policy; a
// policy naming a pool Batch lacks, or an id too long for a Batch job id, is refused at PUT; `auto` never routes to an
// unusable pool; and a job pinned to a pool whose policy was saved a moment ago is routed, not failed by a cache.
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, type JobsStack } from './jobs-stack.js';

describe('Batch pools described by Batch', () => {
  let s: JobsStack;
  let policies: TableClient;
  const admin = { user: 'root', admin: true } as const;
  beforeAll(async () => {
    s = await startJobsStack();
    policies = TableClient.fromConnectionString(s.azurite.connectionString, 'policies', { allowInsecureConnection: true });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('refuses at PUT a policy naming a pool Batch does not have, saying why; nothing is written', async () => {
    const r = await s.api('PUT', '/pools/ghost/policy', { ...admin, body: { kind: 'batch', poolId: 'no-such-pool' } });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ code: 'BATCH_POOL_UNUSABLE', errors: [{ field: 'poolId' }] });
    expect(r.body.detail).toContain('"no-such-pool" does not exist in the Batch account');
    expect((await s.api('GET', '/pools/ghost/policy', admin)).status).toBe(404);
  });

  it('refuses at PUT a pool id that would make the Batch job id longer than 64 characters', async () => {
    const r = await s.api('PUT', '/pools/long/policy', { ...admin, body: { kind: 'batch', poolId: 'x'.repeat(49) } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: 'poolId', message: expect.stringContaining('Batch job ids are at most 64 characters') }]);
    expect((await s.api('GET', '/pools/long/policy', admin)).status).toBe(404);
  });

  it('routes a job pinned to a pool whose policy was saved a moment ago (the dispatch cache is not final)', async () => {
    // Warm dispatch's caches with the pools it knows.
    await s.tickUntil(await s.submit({ name: 'warm', commandLine: 'x', env: { EMULATOR_TASK_SECONDS: '10' } }), ['succeeded']);
    s.emulator.batch.createPool({ id: 'fresh', vmSize: 'Standard_D8s_v5', gpusPerNode: 0, cpusPerNode: 8, memoryGiBPerNode: 32, nodeStartSeconds: 30 });
    const put = await s.api('PUT', '/pools/fresh/policy', { ...admin, body: { kind: 'batch', poolId: 'fresh', maxNodes: 1 } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const id = await s.submit({ name: 'pinned', commandLine: 'x', pool: 'fresh', env: { EMULATOR_TASK_SECONDS: '10' } });
    expect(await s.tickUntil(id, ['succeeded', 'failed'])).toMatchObject({ state: 'succeeded', pool: 'fresh', batch: { poolId: 'fresh' } });
  });

  it('uses the task slots Batch reports, not a stale policy value: a 2-vCPU job runs on a 1-slot pool', async () => {
    // Written straight to the table (an old row): the policy claims 4 slots, the Batch pool has 1.
    s.emulator.batch.createPool({ id: 'oneslot', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, taskSlotsPerNode: 1, nodeStartSeconds: 30 });
    await policies.upsertEntity({ partitionKey: 'pool', rowKey: 'oneslot', kind: 'batch', poolId: 'oneslot', vmSize: 'Standard_D4s_v5', taskSlotsPerNode: 4, maxNodes: 1 });
    const id = await s.submit({ name: 'two-cpus', commandLine: 'x', pool: 'oneslot', resources: { cpus: 2 }, env: { EMULATOR_TASK_SECONDS: '30' } });
    expect((await s.tickUntil(id, ['succeeded', 'failed'])).state).toBe('succeeded');
  });

  it('never routes an auto job to a pool Batch does not have, and sync says why that pool is unusable', async () => {
    // "aaa" sorts first and its policy claims a small CPU node; Batch has no such pool.
    await policies.upsertEntity({ partitionKey: 'pool', rowKey: 'aaa', kind: 'batch', poolId: 'aaa-missing', gpusPerNode: 0, cpusPerNode: 2, memoryGiBPerNode: 4, maxNodes: 2 });
    const id = await s.submit({ name: 'auto-cpu', commandLine: 'x', resources: { cpus: 1 }, env: { EMULATOR_TASK_SECONDS: '10' } });
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(done.pool).not.toBe('aaa');
    const pinned = await s.submit({ name: 'pinned-missing', commandLine: 'x', pool: 'aaa' });
    const failed = await s.waitFor(pinned, ['failed']);
    expect(failed.reason).toContain('pool "aaa" cannot take jobs: Batch pool "aaa-missing" does not exist');
    expect(s.logs.some((l) => l.includes('BATCH_POOL_UNUSABLE') && l.includes('aaa-missing'))).toBe(true);
  });
});
