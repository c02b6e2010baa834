// The policy schema: defaults for every field, hand-edited table cells, and problems that name each bad field.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldProblems, parseVmssPolicy, vmssPolicyToRow } from '../../../src/autoscale/policy.js';
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
        idleMinutesBeforeScaleIn: 5, scaleToZero: true, scaleInAction: 'deallocate', scaleOutCooldownMinutes: 2, scaleInCooldownMinutes: 10,
        maxScaleOutStep: 5, schedules: [], drainBeforeScaleIn: true, wakeHoldMinutes: 30, maxDeallocated: 0, deallocateStoppedAfterMinutes: 15,
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
    [{ schedules: '[{"from":"08:00","to":"08:00"}]' }, 'schedules.0.to', 'for the whole day write from "00:00" to "24:00"'],
    [{ schedules: '[{"from":"08:00","to":"24:30"}]' }, 'schedules.0.to', 'or "24:00"'],
    [{ idleMinutes: 5 }, 'idleMinutes', 'is not a policy field'],
    [{ enabled: 'yes' }, 'enabled', 'must be true or false'],
    [{ connectUrl: 'hub.local' }, 'connectUrl', 'absolute http(s) URL'],
  ])('rejects %j naming %s', (bad, field, reason) => {
    const parsed = parseVmssPolicy({ kind: 'vmss', target: TARGET, ...bad });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContainEqual({ field, reason: expect.stringContaining(reason) });
  });
});

describe('table cells as tools write them', () => {
  it.each([
    ['a bigint (Int64 cell, @azure/data-tables 13)', 3n],
    ['an { value, type: "Int64" } cell', { value: '3', type: 'Int64' }],
    ['text with spaces', ' 3 '],
  ])('reads maxInstances from %s', (_name, cell) => {
    expect(parseVmssPolicy({ kind: 'vmss', target: TARGET, maxInstances: cell })).toMatchObject({ ok: true, value: { maxInstances: 3 } });
  });

  it.each(['True', 'TRUE', ' true ', true])('reads enabled %j as true', (cell) => {
    expect(parseVmssPolicy({ kind: 'vmss', target: TARGET, enabled: cell, dryRun: 'FALSE' })).toMatchObject({ ok: true, value: { enabled: true, dryRun: false } });
  });

  it('reads kind in any case, for both kinds', () => {
    expect(parsePolicy({ kind: 'VMSS', target: TARGET })).toMatchObject({ ok: true, value: { kind: 'vmss' } });
    expect(parsePolicy({ kind: 'Batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: '1', cpusPerNode: '4', memoryGiBPerNode: '28', maxNodes: '3', enabled: 'true' }))
      .toMatchObject({ ok: true, value: { kind: 'batch', gpusPerNode: 1, maxNodes: 3, enabled: true } });
  });

  it('says what kind means in plain words, never raw validator text', () => {
    const parsed = parseVmssPolicy({ kind: 'batch', target: TARGET });
    expect(parsed).toEqual({ ok: false, problems: [{ field: 'kind', reason: 'must be "vmss" for a VM scale set pool' }] });
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

  it('names a problem of the row as a whole (no field path) "(row)"', () => {
    const error = z.object({}).refine(() => false, { message: 'is not a policy' }).safeParse({}).error!;
    expect(fieldProblems(error)).toEqual([{ field: '(row)', reason: 'is not a policy' }]);
  });
});

describe('OpenAPI pool paths', () => {
  it('describes every pool route and the policy schema with its defaults', async () => {
    const { poolOpenApi } = await import('../../../src/http/openapi-pools.js');
    const { paths, schemas } = poolOpenApi();
    expect(Object.keys(paths).sort()).toEqual(['/pools', '/pools/{pool}', '/pools/{pool}/events', '/pools/{pool}/policy', '/pools/{pool}/wake']);
    expect(JSON.stringify(schemas.Policy)).toContain('"idleMinutesBeforeScaleIn"');
    expect(JSON.stringify(schemas.Policy)).toContain('"poolId"');
  });

  it('takes the connect link and the sessions route from the broker part, with their problem responses', async () => {
    const { brokerOpenApi } = await import('../../../src/http/openapi-broker.js');
    const { openApiDocument } = await import('../../../src/http/openapi.js');
    expect(Object.keys(brokerOpenApi().paths).sort()).toEqual(['/pools/{pool}/connect', '/pools/{pool}/sessions']);
    const doc = openApiDocument() as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(doc.paths['/pools/{pool}/connect']!.get!.operationId).toBe('connectPool');
    const sessions = doc.paths['/pools/{pool}/sessions']!.post!;
    expect(Object.keys(sessions.responses).sort()).toEqual(['200', '202', '400', '401', '403', '404', '409', '413', '415', '500', '502', '503']);
    // 503 is a problem (BROKER_BUSY, storage) or the waiting answer for a missing scale set.
    expect(Object.keys(sessions.responses['503']!.content!).sort()).toEqual(['application/json', 'application/problem+json']);
  });
});
