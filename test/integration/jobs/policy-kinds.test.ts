// A policy PUT never changes a pool's kind and never gives one Batch pool two policies: either would leave something
// unmanaged (a scale set's VMs running with no policy) or fought over (two policies sizing one Batch pool). Each is a
// 409 problem+json naming what is in the way, and nothing is written.
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, type JobsStack } from './jobs-stack.js';

let s: JobsStack;
beforeAll(async () => {
  s = await startJobsStack();
});
afterAll(async () => {
  await s?.stop();
});

const TARGET = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/lab';
const GPU_BATCH = { kind: 'batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, maxNodes: 2 };

async function policy(pool: string) {
  return s.api('GET', `/pools/${pool}/policy`, { admin: true });
}

describe('policy PUT conflicts', () => {
  it('does not let an invalid row written by hand on the same Batch pool block the valid policy (it sizes nothing)', async () => {
    s.emulator.batch.createPool({ id: 'shared', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, nodeStartSeconds: 30 });
    const table = TableClient.fromConnectionString(s.azurite.connectionString, 'policies', { allowInsecureConnection: true });
    await table.upsertEntity({ partitionKey: 'pool', rowKey: 'broken', kind: 'batch', poolId: 'shared', maxNodes: 'lots', minNode: 1 });
    const r = await s.api('PUT', '/pools/shared/policy', { admin: true, body: { kind: 'batch', poolId: 'shared', maxNodes: 4 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Once valid, the hand-written row would fight it: a PUT that makes it valid is refused.
    const fixing = await s.api('PUT', '/pools/broken/policy', { admin: true, body: { kind: 'batch', poolId: 'shared', maxNodes: 2 } });
    expect(fixing.body).toMatchObject({ code: 'POLICY_CONFLICT', detail: expect.stringContaining('Pool "shared" already sizes Batch pool shared') });
  });

  it('refuses a second enabled policy on a Batch pool (any case of its id), and stores a disabled one', async () => {
    const r = await s.api('PUT', '/pools/gpu2/policy', { admin: true, body: { ...GPU_BATCH, poolId: 'GPU' } });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ code: 'POLICY_CONFLICT', detail: expect.stringContaining('Pool "gpu" already sizes Batch pool GPU') });
    expect((await policy('gpu2')).status).toBe(404);
    expect((await s.api('PUT', '/pools/gpu2/policy', { admin: true, body: { ...GPU_BATCH, enabled: false } })).status).toBe(200);
    // The pool's own policy may be replaced.
    expect((await s.api('PUT', '/pools/gpu/policy', { admin: true, body: { ...GPU_BATCH, maxNodes: 3 } })).status).toBe(200);
  });

  it('refuses to turn a batch pool into a vmss pool, and a vmss pool into a batch pool', async () => {
    const toVmss = await s.api('PUT', '/pools/cpu/policy', { admin: true, body: { kind: 'vmss', target: TARGET } });
    expect(toVmss.status).toBe(409);
    expect(toVmss.body).toMatchObject({ code: 'POLICY_CONFLICT', detail: expect.stringContaining('Pool "cpu" already has a batch policy') });
    expect((await policy('cpu')).body.policy).toMatchObject({ kind: 'batch', poolId: 'cpu' });

    expect((await s.api('PUT', '/pools/lab/policy', { admin: true, body: { kind: 'vmss', target: TARGET, enabled: false } })).status).toBe(200);
    const toBatch = await s.api('PUT', '/pools/lab/policy', { admin: true, body: { ...GPU_BATCH, enabled: false } });
    expect(toBatch.status).toBe(409);
    expect(toBatch.body).toMatchObject({ code: 'POLICY_CONFLICT', detail: expect.stringContaining('Pool "lab" already has a vmss policy') });
    expect((await policy('lab')).body.policy).toMatchObject({ kind: 'vmss', target: TARGET });
  });
});
