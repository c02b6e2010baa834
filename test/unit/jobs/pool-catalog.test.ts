import { describe, expect, it } from 'vitest';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';
import { JobsError } from '../../../src/jobs/errors.js';
import { describePool, PoolCatalog } from '../../../src/jobs/pool-catalog.js';
import type { PoolSnapshot } from '../../../src/jobs/batch.port.js';
import { routeJob } from '../../../src/jobs/route-job.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';

const named = (name: string, row: Record<string, unknown> = {}) => ({ ...batchPolicySchema.parse({ kind: 'batch', poolId: name, ...row }), name });
const snap = (id: string, vmSize: string, taskSlotsPerNode = 1): PoolSnapshot => ({ id, vmSize, taskSlotsPerNode, allocationState: 'steady', currentDedicatedNodes: 0, targetDedicatedNodes: 0, resizeErrors: [] });

describe('pools described by Batch', () => {
  it('takes VM size and task slots from the Batch pool, vCPUs/GPUs/memory from the size table', () => {
    const d = describePool(named('gpu', { taskSlotsPerNode: 4 }), snap('gpu', 'standard_nc4as_t4_v3', 1));
    expect(d).toMatchObject({ ok: true, pool: { vmSize: 'Standard_NC4as_T4_v3', taskSlotsPerNode: 1, gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 } });
  });

  it('says why a pool Batch does not have, or whose size it cannot describe, is unusable', () => {
    expect(describePool(named('gpu'), undefined)).toEqual({ ok: false, reason: expect.stringContaining('does not exist in the Batch account') });
    expect(describePool(named('odd'), snap('odd', 'standard_hb120rs_v3'))).toEqual({ ok: false, reason: expect.stringContaining('set gpusPerNode, cpusPerNode and memoryGiBPerNode') });
    expect(describePool(named('odd', { gpusPerNode: 0, cpusPerNode: 120, memoryGiBPerNode: 456 }), snap('odd', 'standard_hb120rs_v3'))).toMatchObject({ ok: true, pool: { cpusPerNode: 120 } });
  });

  it('auto routing never picks an unusable pool, even when it would sort first', () => {
    const spec = jobSpecSchema.parse({ name: 'j', commandLine: 'x', resources: { cpus: 2 } });
    const good = describePool(named('zcpu'), snap('zcpu', 'standard_d4s_v5'));
    const route = routeJob(spec, good.ok ? [good.pool] : [], [{ name: 'acpu', reason: 'gone' }]);
    expect(route).toMatchObject({ ok: true, policy: { name: 'zcpu' } });
    const pinned = routeJob({ ...spec, pool: 'acpu' }, good.ok ? [good.pool] : [], [{ name: 'acpu', reason: 'Batch pool "acpu" does not exist' }]);
    expect(pinned).toMatchObject({ ok: false, code: 'ROUTE_POOL_UNUSABLE' });
  });

  it('caches Batch facts, re-reads a pool seen missing on a fresh list, and keeps stale facts when Batch is busy', async () => {
    let rows = [named('cpu')];
    const calls: string[] = [];
    let batchHas = false;
    let busy = false;
    const catalog = new PoolCatalog(
      { list: async () => ({ policies: rows, invalid: [] }) },
      {
        getPool: async (id) => {
          calls.push(id);
          if (busy) throw new JobsError('BATCH_THROTTLED', 'busy');
          if (!batchHas) throw new JobsError('BATCH_NOT_FOUND', 'PoolNotFound');
          return snap(id, 'standard_d4s_v5');
        },
      },
      { ttlMs: 60_000 },
    );
    expect((await catalog.list()).unusable).toHaveLength(1);
    batchHas = true;
    expect((await catalog.list()).pools).toHaveLength(0); // cached as missing
    expect((await catalog.list({ fresh: true })).pools.map((p) => p.name)).toEqual(['cpu']);
    expect(calls).toHaveLength(2);
    busy = true;
    expect((await catalog.list({ fresh: true })).pools).toHaveLength(1);
    rows = [named('new')];
    await expect(catalog.list()).rejects.toMatchObject({ code: 'BATCH_THROTTLED' }); // never seen: no facts to fall back on
  });

  it('says so when Batch reports no VM size and the policy names none', () => {
    const noSize: PoolSnapshot = { id: 'cpu', allocationState: 'steady', currentDedicatedNodes: 0, targetDedicatedNodes: 0, resizeErrors: [] };
    expect(describePool(named('cpu'), noSize)).toEqual({ ok: false, reason: 'Batch did not report the VM size of pool "cpu"' });
  });

  /** A catalog over `rows` whose Batch has every pool as a D4s_v5, counting reads, on a clock the test moves. */
  function catalogAt(rows: ReturnType<typeof named>[], options: { ttlMs?: number } = {}) {
    const clock = { now: 0 };
    const reads: string[] = [];
    const catalog = new PoolCatalog(
      { list: async () => ({ policies: rows, invalid: [] }) },
      { getPool: async (id) => (reads.push(id), snap(id, 'standard_d4s_v5')) },
      { ...options, now: () => clock.now },
    );
    return { catalog, clock, reads };
  }

  it('keeps Batch facts 10 minutes by default: read again at 10 minutes, not at 10 minutes less 1 ms', async () => {
    const { catalog, clock, reads } = catalogAt([named('cpu')]);
    await catalog.list();
    clock.now = 600_000 - 1;
    await catalog.list();
    expect(reads).toEqual(['cpu']);
    clock.now = 600_000;
    await catalog.list();
    expect(reads).toEqual(['cpu', 'cpu']);
  });

  it('lists enabled pools by name, and neither lists nor reads a disabled one', async () => {
    const { catalog, reads } = catalogAt([named('zeta'), named('off', { enabled: false }), named('alpha')]);
    const set = await catalog.list();
    expect(set.pools.map((p) => p.name)).toEqual(['alpha', 'zeta']);
    expect(set.unusable).toEqual([]);
    expect(reads.sort()).toEqual(['alpha', 'zeta']);
  });

  it('answers a pool seen missing from its cache unless asked for fresh facts', async () => {
    const { catalog, reads } = catalogAt([]);
    catalog.remember('GPU', undefined);
    expect(await catalog.snapshotOf('gpu')).toBeUndefined();
    expect(reads).toEqual([]);
    expect(await catalog.snapshotOf('gpu', true)).toMatchObject({ id: 'gpu' });
    expect(reads).toEqual(['gpu']);
  });
});
