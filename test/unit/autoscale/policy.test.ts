// The policy schema: defaults for every field, hand-edited table cells, and problems that name each bad field.
import { describe, expect, it } from 'vitest';
import { parseVmssPolicy, vmssPolicyToRow } from '../../../src/autoscale/policy.js';
import { parsePolicy } from '../../../src/policies/policy.js';
import { TARGET } from './factories.js';

describe('vmss policy schema', () => {
  it('fills in a documented default for every field', () => {
    const parsed = parseVmssPolicy({ kind: 'vmss', target: TARGET });
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'vmss', target: TARGET, enabled: true, dryRun: false, minInstances: 0,
        placement: 'depth-first', maxInstances: 10, seatsPerInstance: 4, spareSeats: 0,
        idleMinutesBeforeScaleIn: 30, scaleToZero: true, scaleInAction: 'deallocate', scaleOutCooldownMinutes: 2, scaleInCooldownMinutes: 10,
        maxScaleOutStep: 5, schedules: [], drainBeforeScaleIn: true, wakeHoldMinutes: 30, maxDeallocated: 0,
      },
    });
  });

  it('reads a table row: string cells, schedules as JSON, table columns ignored', () => {
    const parsed = parseVmssPolicy({
      partitionKey: 'pool', rowKey: 'gpu-lab', etag: 'W/"x"', timestamp: '2026-01-01T00:00:00Z',
      kind: 'vmss', target: TARGET, maxInstances: '6', dryRun: 'true',
      schedules: '[{"days":["mon"],"from":"08:00","to":"18:00","timeZone":"Europe/Berlin","minInstances":2}]',
    });
    expect(parsed.ok && parsed.value.maxInstances).toBe(6);
    expect(parsed.ok && parsed.value.dryRun).toBe(true);
    expect(parseVmssPolicy({ kind: 'vmss', target: TARGET, drainBeforeScaleIn: 'false' })).toMatchObject({ ok: true, value: { drainBeforeScaleIn: false } });
    expect(parsed.ok && parsed.value.schedules[0]?.timeZone).toBe('Europe/Berlin');
  });

  it('round-trips through its table row', () => {
    const parsed = parseVmssPolicy({ kind: 'vmss', target: TARGET, schedules: [{ from: '07:00', to: '19:00', minInstances: 1 }], connectUrl: 'https://hub.example/' });
    if (!parsed.ok) throw new Error('expected a valid policy');
    expect(parseVmssPolicy(vmssPolicyToRow(parsed.value))).toEqual(parsed);
  });

  it.each([
    [{ maxInstances: 0 }, 'maxInstances', 'must be at least 1'],
    [{ minInstances: 5, maxInstances: 3 }, 'minInstances', 'must not exceed maxInstances (3)'],
    [{ scaleInAction: 'stop' }, 'scaleInAction', 'must be "deallocate" or "delete"'],
    [{ target: 'my-vmss' }, 'target', 'must be a scale set resource id'],
    [{ schedules: '[{"from":"8am","to":"18:00"}]' }, 'schedules.0.from', 'must be a local time "HH:MM"'],
    [{ schedules: '[{"from":"08:00","to":"18:00","timeZone":"Mars/Olympus"}]' }, 'schedules.0.timeZone', 'must be an IANA time zone'],
    [{ schedules: 'not json' }, 'schedules', 'must be a JSON array'],
    [{ idleMinutes: 5 }, 'idleMinutes', 'is not a policy field'],
    [{ enabled: 'yes' }, 'enabled', 'must be true or false'],
    [{ connectUrl: 'hub.local' }, 'connectUrl', 'absolute http(s) URL'],
  ])('rejects %j naming %s', (bad, field, reason) => {
    const parsed = parseVmssPolicy({ kind: 'vmss', target: TARGET, ...bad });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContainEqual({ field, reason: expect.stringContaining(reason) });
  });
});

describe('policies union', () => {
  it('accepts both kinds and names the kind when it is neither', () => {
    expect(parsePolicy({ kind: 'vmss', target: TARGET }).ok).toBe(true);
    expect(parsePolicy({ kind: 'batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 }).ok).toBe(true);
    expect(parsePolicy({ kind: 'kubernetes' })).toEqual({ ok: false, problems: [{ field: 'kind', reason: expect.stringContaining('"vmss"') }] });
  });

  it('ignores table system columns (a row read back, or a GET body sent to PUT) but still names unknown fields', () => {
    const row = { partitionKey: 'p', rowKey: 'policy', etag: 'W/"1"', timestamp: '2026-01-01T00:00:00Z', 'odata.metadata': 'x', kind: 'vmss', target: TARGET };
    expect(parsePolicy(row)).toMatchObject({ ok: true, value: { kind: 'vmss', target: TARGET } });
    expect(parsePolicy({ ...row, minInstance: 1 })).toMatchObject({ ok: false, problems: [{ field: 'minInstance' }] });
  });
});

describe('OpenAPI pool paths', () => {
  it('describes every pool route and the policy schema with its defaults', async () => {
    const { poolOpenApi } = await import('../../../src/http/openapi-pools.js');
    const { paths, schemas } = poolOpenApi();
    expect(Object.keys(paths).sort()).toEqual(['/pools', '/pools/{pool}', '/pools/{pool}/connect', '/pools/{pool}/events', '/pools/{pool}/policy', '/pools/{pool}/wake']);
    expect(JSON.stringify(schemas.Policy)).toContain('"idleMinutesBeforeScaleIn"');
    expect(JSON.stringify(schemas.Policy)).toContain('"poolId"');
  });
});
