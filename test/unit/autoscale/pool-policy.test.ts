// Which pool a VM route is about: a VM scale set pool's policy, or an error that says what the name really is.
import { describe, expect, it } from 'vitest';
import { validVmssPolicies, vmssPolicyOf } from '../../../src/autoscale/pool-policy.js';

const TARGET = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/lab';

describe('vmssPolicyOf', () => {
  it('says a Batch pool is one (jobs run there) and does not tell an admin to PUT a vmss policy over it', () => {
    const e = (() => {
      try {
        vmssPolicyOf('gpu', { pool: 'gpu', fields: { kind: 'Batch', poolId: 'gpu' } });
      } catch (error) {
        return error as { code: string; message: string };
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('POOL_NOT_FOUND');
    expect(e.message).toBe('"gpu" is a Batch pool, where jobs run (POST /api/jobs with "pool": "gpu"); it has no VMs to connect to or wake. GET /api/pools lists the VM scale set pools.');
  });

  it('tells how to add a pool that has no policy at all', () => {
    expect(() => vmssPolicyOf('lab', undefined)).toThrow('There is no VM scale set pool "lab". GET /api/pools lists the pools; an admin adds one with PUT /api/pools/lab/policy.');
  });

  it('reads a vmss row', () => {
    expect(vmssPolicyOf('lab', { pool: 'lab', fields: { kind: 'vmss', target: TARGET } })).toMatchObject({ kind: 'vmss', target: TARGET, seatsPerInstance: 4 });
  });
  it('refuses an invalid row with POLICY_INVALID naming each bad field, in the message and as problems', () => {
    const e = (() => {
      try {
        vmssPolicyOf('lab', { pool: 'lab', fields: { kind: 'vmss', target: TARGET, maxInstances: -1, minInstances: -1 } });
      } catch (error) {
        return error as { code: string; message: string; problems?: unknown };
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.message).toBe('The policy of pool "lab" is invalid, so the pool is not managed: minInstances must be at least 0; maxInstances must be at least 1. An admin fixes it with PUT /api/pools/lab/policy.');
    expect(e.problems).toEqual([{ field: 'minInstances', reason: 'must be at least 0' }, { field: 'maxInstances', reason: 'must be at least 1' }]);
  });
});

describe('validVmssPolicies', () => {
  it('keeps the valid vmss rows, leaving out invalid and batch rows', () => {
    const valid = validVmssPolicies([
      { pool: 'lab', fields: { kind: 'vmss', target: TARGET } },
      { pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1 } },
      { pool: 'gpu', fields: { kind: 'batch', poolId: 'gpu', target: TARGET } },
    ]);
    expect(valid.map((v) => [v.pool, v.policy.target])).toEqual([['lab', TARGET]]);
  });
});
