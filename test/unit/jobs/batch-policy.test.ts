import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';

const gpuRow = { kind: 'batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 };

describe('batch policy schema', () => {
  it('fills documented defaults', () => {
    const p = batchPolicySchema.parse(gpuRow);
    expect(p).toMatchObject({ enabled: true, dryRun: false, minNodes: 0, maxNodes: 4, idleMinutesBeforeScaleDown: 10, taskSlotsPerNode: 1 });
  });

  it.each([
    [{ minNodes: 5, maxNodes: 2 }, 'minNodes'],
    [{ gpusPerNode: -1 }, 'gpusPerNode'],
    [{ poolId: 'bad id!' }, 'poolId'],
    [{ maxNodes: 1.5 }, 'maxNodes'],
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
