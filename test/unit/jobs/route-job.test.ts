import { describe, expect, it } from 'vitest';
import { requiredSlots, routeJob } from '../../../src/jobs/route-job.js';
import { policy } from './memory-ports.js';

const gpu = policy('gpu');
const cpu = policy('cpu');
const res = (gpus: number, cpus = 1, memoryGiB = 1) => ({ gpus, cpus, memoryGiB });

describe('routing', () => {
  it('sends a GPU job to the GPU pool and a CPU job to the CPU pool', () => {
    const g = routeJob({ resources: res(1), pool: 'auto' }, [cpu, gpu]);
    const c = routeJob({ resources: res(0, 2), pool: 'auto' }, [gpu, cpu]);
    expect(g.ok && g.policy.name).toBe('gpu');
    expect(c.ok && c.policy.name).toBe('cpu');
  });

  it('honours an explicit pool, even a GPU pool for a CPU job', () => {
    const r = routeJob({ resources: res(0), pool: 'gpu' }, [gpu, cpu]);
    expect(r.ok && r.policy.name).toBe('gpu');
  });

  it('fails an impossible GPU request with an actionable reason', () => {
    const big = policy('gpu-big', { gpusPerNode: 4, cpusPerNode: 24, memoryGiBPerNode: 220 });
    const r = routeJob({ resources: res(8), pool: 'auto' }, [gpu, big, cpu]);
    expect(r).toMatchObject({ ok: false, code: 'ROUTE_IMPOSSIBLE' });
    expect(!r.ok && r.reason).toContain('needs 8 GPUs, largest GPU node has 4');
  });

  it('picks the smallest node that fits', () => {
    const big = policy('gpu-big', { gpusPerNode: 4, cpusPerNode: 24, memoryGiBPerNode: 220 });
    expect(routeJob({ resources: res(1), pool: 'auto' }, [big, gpu]).ok && routeJob({ resources: res(1), pool: 'auto' }, [big, gpu])).toMatchObject({ policy: { name: 'gpu' } });
    expect(routeJob({ resources: res(2), pool: 'auto' }, [big, gpu])).toMatchObject({ policy: { name: 'gpu-big' } });
  });

  it.each([
    [{ resources: res(0), pool: 'nope' }, 'ROUTE_UNKNOWN_POOL', 'known pools: gpu, cpu'],
    [{ resources: res(0, 64), pool: 'cpu' }, 'ROUTE_IMPOSSIBLE', 'needs 64 vCPUs'],
    [{ resources: res(0, 1, 100), pool: 'auto' }, 'ROUTE_IMPOSSIBLE', 'needs 100 GiB memory'],
  ])('rejects %j with %s', (spec, code, text) => {
    const r = routeJob(spec, [gpu, cpu]);
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.reason).toContain(text);
  });

  it('says so when no pool of the needed kind exists, and ignores disabled pools', () => {
    expect(routeJob({ resources: res(1), pool: 'auto' }, [cpu, policy('gpu', { enabled: false })])).toMatchObject({ ok: false, code: 'ROUTE_NO_POOL' });
  });

  it('takes task slots in proportion to the node it needs', () => {
    const shared = policy('cpu', { taskSlotsPerNode: 4 });
    expect(requiredSlots(res(0, 1, 1), shared)).toBe(1);
    expect(requiredSlots(res(0, 2, 1), shared)).toBe(2);
    expect(requiredSlots(res(0, 1, 16), shared)).toBe(4);
    expect(requiredSlots(res(1), gpu)).toBe(1);
  });
});
