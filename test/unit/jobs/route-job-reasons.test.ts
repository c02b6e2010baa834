// Routing at its edges: a node exactly as big as the job fits, one unit more does not, and the reason a person
// reads when nothing fits names the gap and what to do.
import { describe, expect, it } from 'vitest';
import { requiredSlots, routeJob } from '../../../src/jobs/route-job.js';
import { policy } from './memory-ports.js';

const res = (gpus: number, cpus = 1, memoryGiB = 1) => ({ gpus, cpus, memoryGiB });
const cpu = policy('cpu'); // Standard_D4s_v5: 4 vCPUs, 16 GiB
const gpu = policy('gpu'); // Standard_NC4as_T4_v3: 1 GPU, 4 vCPUs, 28 GiB
const gpuBig = policy('gpu-big', { vmSize: 'Standard_NC24ads_A100_v4', gpusPerNode: 4, cpusPerNode: 24, memoryGiBPerNode: 220 });

describe('a job pinned to a pool', () => {
  it('fits a node exactly as big as it asks', () => {
    expect(routeJob({ resources: res(0, 4, 16), pool: 'cpu' }, [cpu])).toMatchObject({ ok: true, policy: { name: 'cpu' } });
  });

  const node = 'a node of pool "cpu" (Standard_D4s_v5)';
  it.each([
    [res(0, 5, 16), `needs 5 vCPUs, ${node} has 4. Ask for less or choose another pool.`, [{ field: 'resources.cpus', message: `needs 5 vCPUs, ${node} has 4` }]],
    [res(0, 4, 16.5), `needs 16.5 GiB memory, ${node} has 16. Ask for less or choose another pool.`, [{ field: 'resources.memoryGiB', message: `needs 16.5 GiB memory, ${node} has 16` }]],
    [
      res(1, 8, 32),
      `needs 1 GPUs, ${node} has 0; needs 8 vCPUs, ${node} has 4; needs 32 GiB memory, ${node} has 16. Ask for less or choose another pool.`,
      [
        { field: 'resources.gpus', message: `needs 1 GPUs, ${node} has 0` },
        { field: 'resources.cpus', message: `needs 8 vCPUs, ${node} has 4` },
        { field: 'resources.memoryGiB', message: `needs 32 GiB memory, ${node} has 16` },
      ],
    ],
  ])('refuses %j one unit over, saying what is missing and naming each field', (resources, reason, errors) => {
    expect(routeJob({ resources, pool: 'cpu' }, [cpu])).toEqual({ ok: false, code: 'ROUTE_IMPOSSIBLE', reason, errors });
  });

  it('refuses a pool that may not grow', () => {
    expect(routeJob({ resources: res(0), pool: 'cpu' }, [policy('cpu', { minNodes: 0, maxNodes: 0 })])).toEqual({
      ok: false,
      code: 'ROUTE_IMPOSSIBLE',
      reason: 'pool "cpu" has maxNodes 0. Ask for less or choose another pool.',
      errors: [{ field: 'pool', message: 'pool "cpu" has maxNodes 0' }],
    });
  });

  it('an unusable pool is told why; an unknown one lists the enabled pools, or none', () => {
    const unusable = [{ name: 'gpu2', reason: 'the Batch pool "gpu2" does not exist' }];
    expect(routeJob({ resources: res(0), pool: 'gpu2' }, [cpu], unusable)).toEqual({
      ok: false,
      code: 'ROUTE_POOL_UNUSABLE',
      reason: 'pool "gpu2" cannot take jobs: the Batch pool "gpu2" does not exist.',
    });
    expect(routeJob({ resources: res(0), pool: 'other' }, [cpu, gpu], unusable)).toEqual({
      ok: false,
      code: 'ROUTE_UNKNOWN_POOL',
      reason: 'pool "other" is not an enabled Batch pool; known pools: cpu, gpu. Use "auto" or one of those.',
    });
    expect(routeJob({ resources: res(0), pool: 'other' }, [policy('cpu', { enabled: false })])).toMatchObject({
      reason: 'pool "other" is not an enabled Batch pool; known pools: none. Use "auto" or one of those.',
    });
  });
});

describe('a job routed automatically', () => {
  it('no pool of the kind: says which policy an admin must add', () => {
    expect(routeJob({ resources: res(1), pool: 'auto' }, [cpu])).toEqual({
      ok: false,
      code: 'ROUTE_NO_POOL',
      reason: 'no enabled GPU pool is configured; an admin must add a batch policy with gpusPerNode > 0.',
      errors: [{ field: 'resources.gpus', message: 'no enabled GPU pool is configured' }],
    });
    expect(routeJob({ resources: res(0), pool: 'auto' }, [gpu, gpuBig])).toEqual({
      ok: false,
      code: 'ROUTE_NO_POOL',
      reason: 'no enabled CPU pool is configured; an admin must add a batch policy with gpusPerNode 0.',
      errors: [{ field: 'pool', message: 'no enabled CPU pool is configured' }],
    });
  });

  it('takes the smallest node by GPUs, then vCPUs, then memory, then name', () => {
    const pools = [
      policy('gpu-d', { gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 }),
      policy('gpu-a', { gpusPerNode: 1, cpusPerNode: 8, memoryGiBPerNode: 28 }),
      policy('gpu-b', { gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 56 }),
      policy('gpu-e', { gpusPerNode: 2, cpusPerNode: 4, memoryGiBPerNode: 28 }),
      policy('gpu-c', { gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 }),
    ];
    expect(routeJob({ resources: res(1), pool: 'auto' }, pools)).toMatchObject({ ok: true, policy: { name: 'gpu-c' } });
    expect(routeJob({ resources: res(1, 1, 40), pool: 'auto' }, pools)).toMatchObject({ ok: true, policy: { name: 'gpu-b' } });
    expect(routeJob({ resources: res(1, 6), pool: 'auto' }, pools)).toMatchObject({ ok: true, policy: { name: 'gpu-a' } });
  });

  it.each([
    [res(1, 25), 'no GPU pool can run this job: needs 25 vCPUs, largest GPU node has 24. Ask for less.', ['resources.cpus']],
    [res(1, 25, 220), 'no GPU pool can run this job: needs 25 vCPUs, largest GPU node has 24. Ask for less.', ['resources.cpus']],
    [res(1, 24, 221), 'no GPU pool can run this job: needs 221 GiB memory, largest GPU node has 220 GiB. Ask for less.', ['resources.memoryGiB']],
    [
      res(5, 25, 221),
      'no GPU pool can run this job: needs 5 GPUs, largest GPU node has 4; needs 25 vCPUs, largest GPU node has 24; needs 221 GiB memory, largest GPU node has 220 GiB. Ask for less.',
      ['resources.gpus', 'resources.cpus', 'resources.memoryGiB'],
    ],
  ])('%j beyond the largest node: names each limit of the largest, and its field', (resources, reason, fields) => {
    expect(routeJob({ resources, pool: 'auto' }, [gpu, gpuBig])).toEqual({ ok: false, code: 'ROUTE_IMPOSSIBLE', reason, errors: fields.map((field) => expect.objectContaining({ field })) });
  });

  it('a CPU job beyond the largest CPU node names it', () => {
    expect(routeJob({ resources: res(0, 5), pool: 'auto' }, [cpu, gpuBig])).toEqual({
      ok: false,
      code: 'ROUTE_IMPOSSIBLE',
      reason: 'no CPU pool can run this job: needs 5 vCPUs, largest CPU node has 4. Ask for less.',
      errors: [{ field: 'resources.cpus', message: 'needs 5 vCPUs, largest CPU node has 4' }],
    });
  });

  it('no single limit is too small but no one node has it all: names each pool\'s gap', () => {
    const wide = policy('gpu-wide', { gpusPerNode: 1, cpusPerNode: 24, memoryGiBPerNode: 28 });
    const many = policy('gpu-many', { gpusPerNode: 4, cpusPerNode: 4, memoryGiBPerNode: 28 });
    expect(routeJob({ resources: res(2, 8), pool: 'auto' }, [many, wide])).toEqual({
      ok: false,
      code: 'ROUTE_IMPOSSIBLE',
      reason:
        'no GPU pool can run this job: needs 2 GPUs, a node of pool "gpu-wide" (Standard_NC4as_T4_v3) has 1; needs 8 vCPUs, a node of pool "gpu-many" (Standard_NC4as_T4_v3) has 4. Ask for less.',
      errors: [
        { field: 'resources', message: 'needs 2 GPUs, a node of pool "gpu-wide" (Standard_NC4as_T4_v3) has 1; needs 8 vCPUs, a node of pool "gpu-many" (Standard_NC4as_T4_v3) has 4' },
      ],
    });
  });

  it("names both gaps of a pool that misses two things, '; '-separated like the other pools' gaps", () => {
    const wide = policy('gpu-wide', { gpusPerNode: 1, cpusPerNode: 24, memoryGiBPerNode: 28 });
    const many = policy('gpu-many', { gpusPerNode: 4, cpusPerNode: 4, memoryGiBPerNode: 220 });
    const route = routeJob({ resources: res(2, 8, 100), pool: 'auto' }, [many, wide]);
    expect(route).toMatchObject({
      ok: false,
      code: 'ROUTE_IMPOSSIBLE',
      errors: [
        {
          field: 'resources',
          message:
            'needs 2 GPUs, a node of pool "gpu-wide" (Standard_NC4as_T4_v3) has 1; needs 100 GiB memory, a node of pool "gpu-wide" (Standard_NC4as_T4_v3) has 28; needs 8 vCPUs, a node of pool "gpu-many" (Standard_NC4as_T4_v3) has 4',
        },
      ],
    });
  });
});

describe('requiredSlots', () => {
  it('a GPU share counts: 1 of 2 GPUs on a 4-slot node takes 2 slots, 2 GPUs all 4', () => {
    const shared = policy('gpu', { gpusPerNode: 2, cpusPerNode: 32, memoryGiBPerNode: 200, taskSlotsPerNode: 4 });
    expect(requiredSlots(res(1), shared)).toBe(2);
    expect(requiredSlots(res(2), shared)).toBe(4);
    expect(requiredSlots(res(0), shared)).toBe(1);
  });
});
