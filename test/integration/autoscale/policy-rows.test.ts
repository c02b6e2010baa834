// Policy rows as tools write them, and the pool routes' answers to bad input, through the real host over Azurite:
// Int64 cells, "True"/"FALSE", kind "Batch", all-day windows, GET policy on any stored row, two policies on one
// scale set, and pool names / page tokens / content types that are not what a route takes.
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchPolicySource } from '../../../src/azure/batch-pools-policies.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { ADMIN, poolFixture } from './pool-fixture.js';
import { authHeaders } from '../../support/identity.js';

let stack: TestStack;
let table: TableClient;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
  table = TableClient.fromConnectionString(stack.azurite.connectionString, 'policies', { allowInsecureConnection: true });
});
afterAll(async () => {
  await stack?.stop();
});

/** Writes a row as `az storage entity insert` and Storage Explorer do: numbers as Int64 cells, any text. */
const writeRow = (pool: string, fields: Record<string, unknown>) => table.upsertEntity({ partitionKey: 'pool', rowKey: pool, ...fields } as never, 'Replace');
const int64 = (n: number | string) => ({ value: String(n), type: 'Int64' });

describe('policy rows written by tools', () => {
  it('reads Int64 cells and "True"/"FALSE" text, evaluates the pool, and GET policy answers 200', async () => {
    const p = poolFixture(stack, 'rows-int64');
    await writeRow(p.pool, { kind: 'vmss', target: p.id, minInstances: int64(1), maxInstances: int64(3), enabled: 'True', dryRun: 'FALSE', scaleOutCooldownMinutes: int64(0) });
    const got = await p.api(`pools/${p.pool}/policy`, { as: ADMIN });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ policy: { minInstances: 1, maxInstances: 3, enabled: true, dryRun: false } });
    await p.tick();
    expect(p.states()).toEqual(['0:creating']);
    expect((await p.events()).some((e) => e.kind === 'policy-invalid')).toBe(false);
    await p.putPolicy({ enabled: false });
  });

  it('GET policy on a row with an Int64 too large for a number answers 200 with the problem, never 500', async () => {
    const p = poolFixture(stack, 'rows-huge');
    await writeRow(p.pool, { kind: 'vmss', target: p.id, maxInstances: int64('9223372036854775807') });
    const got = await p.api(`pools/${p.pool}/policy`, { as: ADMIN });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { problems: unknown[] }).problems).toContainEqual({ field: 'maxInstances', reason: 'must be at most 1000' });
    await p.tick();
    const [event] = await p.events();
    expect(event).toMatchObject({ kind: 'policy-invalid', reason: expect.stringContaining('maxInstances must be at most 1000') });
    await writeRow(p.pool, { kind: 'vmss', target: p.id, enabled: false });
  });

  it('treats kind "Batch" as a batch row: autoscale leaves it alone and the job service reads its text cells', async () => {
    const row = { kind: 'Batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: '1', cpusPerNode: int64(4), memoryGiBPerNode: '28', maxNodes: '3', enabled: 'true' };
    await writeRow('rows-batch', row);
    await stack.host.runTimer('autoscale');
    const events = await (await fetch(`${stack.host.url}/api/pools/rows-batch/events`, { headers: await authHeaders(stack, ADMIN.user, ADMIN.roles) })).json() as { items: unknown[] };
    expect(events.items).toEqual([]);
    const set = await createBatchPolicySource(table).list();
    expect(set.invalid.filter((i) => i.name === 'rows-batch').flatMap((i) => i.problems)).toEqual([]);
    expect(set.policies.find((p) => p.name === 'rows-batch')).toMatchObject({ kind: 'batch', maxNodes: 3, enabled: true, gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 });
    await table.deleteEntity('pool', 'rows-batch');
  });

  it('accepts an all-day window ("00:00"–"24:00") and explains from = to', async () => {
    const p = poolFixture(stack, 'rows-all-day');
    const ok = await p.putPolicy({ enabled: false, schedules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00', minInstances: 1 }] });
    expect(ok.status).toBe(200);
    const bad = await p.putPolicy({ enabled: false, schedules: [{ from: '00:00', to: '00:00', minInstances: 1 }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'schedules.0.to', message: expect.stringContaining('"00:00" to "24:00"') }] });
  });
});

describe('two policies on one scale set', () => {
  it('refuses the second at PUT with 409, whatever the case of the resource id', async () => {
    const a = poolFixture(stack, 'twin-a');
    await a.putPolicy({ maxInstances: 2 });
    const second = await a.api('pools/twin-b/policy', { method: 'PUT', as: ADMIN, body: JSON.stringify({ kind: 'vmss', target: a.id.toUpperCase() }) });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await second.json()).toMatchObject({ code: 'POLICY_CONFLICT', detail: expect.stringContaining('Pool "twin-a" already manages') });
    expect((await a.api('pools/twin-b/policy', { as: ADMIN })).status).toBe(404); // nothing written
    // A disabled second policy does not manage anything, so it may be stored.
    const disabled = await a.api('pools/twin-b/policy', { method: 'PUT', as: ADMIN, body: JSON.stringify({ kind: 'vmss', target: a.id, enabled: false }) });
    expect(disabled.status).toBe(200);
    await a.putPolicy({ enabled: false });
  });

  it('reports rows written by hand on one scale set, evaluates only the first by name, once per change', async () => {
    const a = poolFixture(stack, 'dup-a', 0);
    await writeRow('dup-b', { kind: 'vmss', target: a.id, minInstances: 2, scaleOutCooldownMinutes: 0 });
    await writeRow('dup-a', { kind: 'vmss', target: a.id, minInstances: 1, scaleOutCooldownMinutes: 0 });
    await a.tick();
    await a.tick();
    expect(a.states()).toEqual(['0:creating']); // dup-a's minInstances 1, not dup-b's 2
    const b = (await (await a.api('pools/dup-b/events')).json()) as { items: { kind: string; reason: string }[] };
    expect(b.items).toHaveLength(1);
    expect(b.items[0]).toMatchObject({ kind: 'policy-invalid', reason: expect.stringContaining('target is the same scale set as pool "dup-a"') });
    const status = (await (await a.api('pools/dup-b')).json()) as { warnings: string[] };
    expect(status.warnings[0]).toContain('not managed: target is the same scale set as pool "dup-a"');
    await writeRow('dup-a', { kind: 'vmss', target: a.id, enabled: false });
    await writeRow('dup-b', { kind: 'vmss', target: a.id, enabled: false });
  });
});

describe('pool routes answer bad input with 4xx problem+json', () => {
  it.each([
    ['GET', 'pools/a%2Fb'],
    ['GET', 'pools/a%2Fb/events'],
    ['POST', 'pools/a%2Fb/wake'],
    ['GET', 'pools/a%2Fb/connect'],
    ['GET', 'pools/a%2Fb/policy'],
    ['PUT', 'pools/a%2Fb/policy'],
    ['POST', 'pools/a%2Fb/sessions'],
    ['GET', 'pools/a%23b'],
  ])('%s %s → 400', async (method, path) => {
    const auth = await authHeaders(stack, ADMIN.user, ADMIN.roles);
    const body = method === 'PUT' ? '{"kind":"vmss"}' : method === 'POST' ? '{}' : undefined;
    const r = await fetch(`${stack.host.url}/api/${path}`, { method, headers: { ...auth, 'content-type': 'application/json' }, body, redirect: 'manual' });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await r.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'pool' }] });
  });

  it.each(['garbage', 'eyJub3QiOiJ0aGlzIn0=', '%%%'])('events?continuationToken=%s → 400 PAGE_TOKEN_INVALID', async (token) => {
    const r = await fetch(`${stack.host.url}/api/pools/token-pool/events?continuationToken=${encodeURIComponent(token)}`, { headers: await authHeaders(stack, ADMIN.user, ADMIN.roles) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'PAGE_TOKEN_INVALID' });
  });

  it('pages events with the token it handed out', async () => {
    const p = poolFixture(stack, 'token-pages');
    await p.putPolicy({ minInstances: 1, scaleOutCooldownMinutes: 0 });
    await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
    const first = (await (await p.api(`pools/${p.pool}/events?top=1`)).json()) as { items: unknown[]; continuationToken?: string };
    expect(first.continuationToken).toBeTypeOf('string');
    const next = await p.api(`pools/${p.pool}/events?top=1&continuationToken=${encodeURIComponent(first.continuationToken!)}`);
    expect(next.status).toBe(200);
    await p.putPolicy({ enabled: false });
  });

  it('PUT policy with text/plain → 415, nothing written', async () => {
    const p = poolFixture(stack, 'plain-text');
    const r = await p.api(`pools/${p.pool}/policy`, { method: 'PUT', as: ADMIN, headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ kind: 'vmss', target: p.id }) });
    expect(r.status).toBe(415);
    expect(await r.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await p.api(`pools/${p.pool}/policy`, { as: ADMIN })).status).toBe(404);
  });
});
