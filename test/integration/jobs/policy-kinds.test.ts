// A policy PUT never changes a pool's kind and never gives one Batch pool two policies: either would leave something
// unmanaged (a scale set's VMs running with no policy) or fought over (two policies sizing one Batch pool). Each is a
// 409 problem+json naming what is in the way, and nothing is written.
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
