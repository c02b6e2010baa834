import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';

const gpuRow = { kind: 'batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 };

describe('batch policy schema', () => {
  it('fills documented defaults', () => {
    const p = batchPolicySchema.parse(gpuRow);
    expect(p).toMatchObject({ enabled: true, dryRun: false, minNodes: 0, maxNodes: 4, idleMinutesBeforeScaleDown: 10 });
    expect(p.taskSlotsPerNode).toBeUndefined(); // read from the Batch pool
  });

  it('accepts a minimal row: Batch describes the node', () => {
    expect(batchPolicySchema.safeParse({ kind: 'batch', poolId: 'gpu' }).success).toBe(true);
  });

  it('refuses a pool id that would make dsvmpool-{poolId}-{yyyymm} longer than 64 characters, saying why', () => {
    expect(batchPolicySchema.safeParse({ kind: 'batch', poolId: 'p'.repeat(48) }).success).toBe(true);
    const r = batchPolicySchema.safeParse({ kind: 'batch', poolId: 'p'.repeat(49) });
    expect(r.error?.issues[0]?.path).toEqual(['poolId']);
    expect(r.error?.issues[0]?.message).toContain('Batch job ids are at most 64 characters');
    expect(`dsvmpool-${'p'.repeat(48)}-202611`).toHaveLength(64);
  });

  it.each([
    [{ minNodes: 5, maxNodes: 2 }, 'minNodes'],
    [{ gpusPerNode: -1 }, 'gpusPerNode'],
    [{ poolId: 'bad id!' }, 'poolId'],
    [{ maxNodes: 1.5 }, 'maxNodes'],
    [{ maxRunningGpusPerUser: -1 }, 'maxRunningGpusPerUser'],
    [{ maxQueuedJobsPerUser: 'two' }, 'maxQueuedJobsPerUser'],
  ])('rejects %j naming %s', (patch, field) => {
    const r = batchPolicySchema.safeParse({ ...gpuRow, ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('works as a member of a discriminated union on kind', () => {
    const union = z.discriminatedUnion('kind', [batchPolicySchema, z.object({ kind: z.literal('vmss') })]);
    expect(union.parse(gpuRow).kind).toBe('batch');
    expect(union.safeParse({ ...gpuRow, cpusPerNode: 0 }).success).toBe(false);
  });
});

describe('batch policy schema strictness', () => {
  it('refuses a misspelt field instead of defaulting it', () => {
    const r = batchPolicySchema.safeParse({ ...gpuRow, maxNode: 3 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});
