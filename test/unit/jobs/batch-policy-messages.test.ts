// A Batch pool's policy row at its edges, and the exact message an admin reads for each refusal (as the policy API
// reports it: fieldErrors, dotted field + message).
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../src/http/request.js';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';

const row = { kind: 'batch', poolId: 'gpu' };

function errorsOf(patch: Record<string, unknown>): { field: string; message: string }[] {
  const r = batchPolicySchema.safeParse({ ...row, ...patch });
  return r.success ? [] : fieldErrors(r.error);
}

describe('batch policy row', () => {
  it.each([
    ['minNodes equal to maxNodes', { minNodes: 3, maxNodes: 3 }],
    ['pool id of letters, digits, "-" and "_"', { poolId: 'Gpu_A100-2' }],
    ['the largest node', { gpusPerNode: 16, cpusPerNode: 512, memoryGiBPerNode: 12288 }],
    ['numbers as text, as a hand-edited table cell holds them', { minNodes: '1', maxNodes: ' 2 ' }],
  ])('accepts %s', (_what, patch) => {
    expect(errorsOf(patch)).toEqual([]);
  });

  it.each([
    ['another kind', { kind: 'vmss' }, 'kind', 'must be "batch" for a Batch pool'],
    ['a pool id that is not text', { poolId: 7 }, 'poolId', 'must be the Batch pool id, e.g. "gpu"'],
    ['a pool id with a space', { poolId: 'gpu pool' }, 'poolId', 'must be a Batch pool id: letters, digits, "-" or "_"'],
    ['a pool id with "."', { poolId: 'gpu.a' }, 'poolId', 'must be a Batch pool id: letters, digits, "-" or "_"'],
    ['minNodes above maxNodes', { minNodes: 4, maxNodes: 3 }, 'minNodes', 'must not exceed maxNodes (3)'],
    ['a node count that is not a number', { maxNodes: 'four' }, 'maxNodes', 'must be a number'],
    ['a fraction of a node', { maxNodes: 1.5 }, 'maxNodes', 'must be a whole number'],
    ['a negative node count', { minNodes: -1 }, 'minNodes', 'must be at least 0'],
    ['1001 nodes', { maxNodes: 1001 }, 'maxNodes', 'must be at most 1000'],
    ['a VM size that is not text', { vmSize: 4 }, 'vmSize', 'must be a VM size, e.g. "Standard_NC4as_T4_v3"'],
    ['node memory that is not a number', { memoryGiBPerNode: 'lots' }, 'memoryGiBPerNode', 'must be a number'],
    ['0 GiB of node memory', { memoryGiBPerNode: 0 }, 'memoryGiBPerNode', 'must be more than 0'],
    ['12289 GiB of node memory', { memoryGiBPerNode: 12289 }, 'memoryGiBPerNode', 'must be at most 12288'],
  ])('refuses %s', (_what, patch, field, message) => {
    expect(errorsOf(patch)).toEqual([{ field, message }]);
  });
});
