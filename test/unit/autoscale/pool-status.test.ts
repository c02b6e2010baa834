// GET /api/pools: every vmss pool from one read of the policy table; an invalid row shows why instead of a status.
import { describe, expect, it } from 'vitest';
import { listPoolStatuses } from '../../../src/autoscale/pool-status.js';
import { TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

describe('listPoolStatuses', () => {
  it('lists vmss pools from the listed rows, showing an invalid row as POLICY_INVALID', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { idleMinutes: 0 })]) }, [
      { pool: 'ok', fields: { kind: 'vmss', target: TARGET } },
      { pool: 'gpu', fields: { kind: 'batch', poolId: 'gpu' } },
      { pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1 } },
    ]);
    let gets = 0;
    const policies = { ...deps.policies, get: (pool: string) => (gets++, deps.policies.get(pool)) };
    const list = await listPoolStatuses({ ...deps, policies });
    expect(list.map((s) => s.pool)).toEqual(['ok', 'broken']);
    expect(list[0]).toMatchObject({ pool: 'ok', enabled: true, capacity: 1, instances: [{ instanceId: '1', state: 'running' }] });
    expect(list[1]).toMatchObject({ pool: 'broken', enabled: false, error: { code: 'POLICY_INVALID', message: expect.stringContaining('maxInstances must be at least 1') } });
    expect(gets).toBe(0);
  });
});
