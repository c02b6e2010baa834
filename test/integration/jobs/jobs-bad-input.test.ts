// Bad input to the jobs API: each invalid field → 400 problem+json naming it, 413, 415, 401, 404, and nothing
// written in any of these cases (the jobs table and the jobs queue are unchanged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableClient } from '@azure/data-tables';
import { pollUntil, startJobsStack, type JobsStack } from './jobs-stack.js';

describe('bad input writes nothing', () => {
  let s: JobsStack;
  let rows = 0;
  beforeAll(async () => {
    s = await startJobsStack();
    // One job in, dispatched and its message gone, so the table and queue are at rest before the checks.
    await s.waitFor(await s.submit({ name: 'baseline', commandLine: 'x' }), ['dispatched']);
    await pollUntil(async () => (await s.jobsQueue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.length === 0, 'the jobs queue to drain');
    rows = await s.tableRows();
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });
  const unchanged = async () => {
    expect(await s.tableRows()).toBe(rows);
    expect((await s.jobsQueue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(0);
  };

  it.each([
    [{ commandLine: 'x' }, 'name'],
    [{ name: 'has space', commandLine: 'x' }, 'name'],
    [{ name: 'a' }, 'commandLine'],
    [{ name: 'a', commandLine: 'x', containerImage: 'bad image' }, 'containerImage'],
    [{ name: 'a', commandLine: 'x', resources: { gpus: 17 } }, 'resources.gpus'],
    [{ name: 'a', commandLine: 'x', resources: { cpus: 0 } }, 'resources.cpus'],
    [{ name: 'a', commandLine: 'x', resources: { memoryGiB: 'lots' } }, 'resources.memoryGiB'],
    [{ name: 'a', commandLine: 'x', pool: '../etc' }, 'pool'],
    [{ name: 'a', commandLine: 'x', env: { 'BAD-KEY': '1' } }, 'env.BAD-KEY'],
    [{ name: 'a', commandLine: 'x', timeoutMinutes: 100000 }, 'timeoutMinutes'],
    [{ name: 'a', commandLine: 'x', retries: -1 }, 'retries'],
    [{ name: 'a', commandLine: 'x', inputs: [{ url: 'http://insecure/x', path: 'x' }] }, 'inputs.0.url'],
    [{ name: 'a', commandLine: 'x', output: { containerUrl: 'not a url' } }, 'output.containerUrl'],
    [{ name: 'a', commandLine: 'x', priority: 5 }, 'priority'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const r = await s.api('POST', '/jobs', { body });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(r.body.detail).toContain(field);
    await unchanged();
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const r = await s.api('POST', '/jobs', { body: { name: 'a', commandLine: 'x'.repeat(70_000) } });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('PAYLOAD_TOO_LARGE');
    await unchanged();
  });

  it('answers 415 for a body that is not JSON', async () => {
    const r = await s.api('POST', '/jobs', { raw: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    await unchanged();
  });

  it('answers 422 ROUTE_UNKNOWN_POOL for a job pinned to a pool that has no enabled batch policy, and stores nothing', async () => {
    const admin = { user: 'root', admin: true } as const;
    s.emulator.batch.createPool({ id: 'paused', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, nodeStartSeconds: 30 });
    expect((await s.api('PUT', '/pools/paused/policy', { ...admin, body: { kind: 'batch', poolId: 'paused', enabled: false } })).status).toBe(200);
    // A VM pool's policy row, as an admin writes one (disabled: this stack has no scale set to size).
    const policies = TableClient.fromConnectionString(s.azurite.connectionString, 'policies', { allowInsecureConnection: true });
    await policies.upsertEntity({ partitionKey: 'pool', rowKey: 'dsvm-demo', kind: 'vmss', enabled: false });
    for (const [pool, why] of [
      ['nope', 'there is no Batch pool "nope"'],
      ['paused', 'pool "paused"\'s batch policy is disabled'],
      // A VM scale set pool is not a Batch pool either: the answer says what it is for.
      ['dsvm-demo', 'pool "dsvm-demo" is a VM pool for interactive sessions (`dsvm-pool connect dsvm-demo` or `dsvm-pool ssh dsvm-demo`), not a Batch pool for jobs'],
    ] as const) {
      const r = await s.api('POST', '/jobs', { body: { name: 'pinned', commandLine: 'x', pool } });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.code).toBe('ROUTE_UNKNOWN_POOL');
      expect(r.body.detail).toContain(why);
      expect(r.body.detail).toContain('enabled Batch pools: cpu, gpu');
      expect(r.body.errors).toEqual([{ field: 'pool', message: expect.stringContaining(why) }]);
    }
    await unchanged();
  });

  it('answers 422 ROUTE_IMPOSSIBLE for a job no node of its pool can hold, naming the field and what the nodes have, and stores nothing', async () => {
    for (const [patch, field, message] of [
      [{ pool: 'cpu', resources: { cpus: 64 } }, 'resources.cpus', 'needs 64 vCPUs, a node of pool "cpu" (Standard_D4s_v5) has 4'],
      [{ pool: 'cpu', resources: { cpus: 5 } }, 'resources.cpus', 'needs 5 vCPUs, a node of pool "cpu" (Standard_D4s_v5) has 4'],
      [{ pool: 'cpu', resources: { gpus: 1 } }, 'resources.gpus', 'needs 1 GPUs, a node of pool "cpu" (Standard_D4s_v5) has 0'],
      [{ pool: 'gpu', resources: { gpus: 1, memoryGiB: 29 } }, 'resources.memoryGiB', 'needs 29 GiB memory, a node of pool "gpu" (Standard_NC4as_T4_v3) has 28'],
      [{ resources: { gpus: 8 } }, 'resources.gpus', 'needs 8 GPUs, largest GPU node has 1'],
    ] as const) {
      const r = await s.api('POST', '/jobs', { body: { name: 'too-big', commandLine: 'x', ...patch } });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.code).toBe('ROUTE_IMPOSSIBLE');
      expect(r.body.detail).toContain(message);
      expect(r.body.errors).toEqual([{ field, message }]);
    }
    await unchanged();
  });

  it('answers 400 for malformed JSON, 401 without a caller, 404 for an unknown job', async () => {
    expect((await s.api('POST', '/jobs', { raw: '{"name":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await s.api('POST', '/jobs', { user: '', body: { name: 'a', commandLine: 'x' } })).status).toBe(401);
    for (const id of ['nope', '000000000000-0000000000000-aaaaaa']) {
      const r = await s.api('GET', `/jobs/${id}`);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('JOB_NOT_FOUND');
      expect((await s.api('POST', `/jobs/${id}/cancel`)).status).toBe(404);
    }
    expect((await s.api('GET', '/jobs?top=1000')).status).toBe(400);
    expect((await s.api('GET', '/jobs?continuationToken=forged')).status).toBe(400);
    // A repeated parameter is named, through the host (which joins repeated values with commas, as Azure's does).
    const twice = await s.api('GET', '/jobs?top=5&top=50');
    expect(twice.status).toBe(400);
    expect(twice.body.detail).toBe('top is given 2 times; give it once');
    await unchanged();
  });

  // Last: it stores jobs, and leaves pools that cannot be described.
  it('accepts a job whose fit it cannot check (Batch failing pool reads, a pool not in Batch yet) and lets dispatch decide; the largest job that fits is accepted', async () => {
    const fits = await s.api('POST', '/jobs', { body: { name: 'just-fits', commandLine: 'x', pool: 'cpu', resources: { cpus: 4, memoryGiB: 16 } } });
    expect(fits.status, JSON.stringify(fits.body)).toBe(202);
    // Policy rows written straight to the table (a PUT would read the pool, and the app would have its facts cached):
    // `cpu-new`, a pool Batch has but the app has not read yet, and `later`, a pool not created in Batch yet.
    s.emulator.batch.createPool({ id: 'cpu-new', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, nodeStartSeconds: 30 });
    const policies = TableClient.fromConnectionString(s.azurite.connectionString, 'policies', { allowInsecureConnection: true });
    for (const name of ['cpu-new', 'later']) await policies.upsertEntity({ partitionKey: 'pool', rowKey: name, kind: 'batch', poolId: name, enabled: true, minNodes: 0, maxNodes: 2 });
    const outage = s.emulator.faults.add({ operation: 'batch.pool.get', kind: 'status', status: 503, code: 'ServerBusy', retryAfterSeconds: 0 });
    const accepted: string[] = [];
    for (const patch of [{ pool: 'cpu-new', resources: { cpus: 64 } }, { resources: { gpus: 8 } }]) {
      const r = await s.api('POST', '/jobs', { body: { name: 'unchecked', commandLine: 'x', ...patch } });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      accepted.push(r.body.id);
    }
    s.emulator.faults.remove(outage);
    const later = await s.api('POST', '/jobs', { body: { name: 'unchecked', commandLine: 'x', pool: 'later', resources: { cpus: 64 } } });
    expect(later.status, JSON.stringify(later.body)).toBe(202);
    // Nothing lost: dispatch (redelivered once Batch answers) fails each with the code submit would have given.
    const failedWith = async (id: string) => {
      await pollUntil(async () => (await s.job(id)).state === 'failed', `job ${id} to fail at dispatch`, 45_000);
      return (await s.job(id)).lastError?.code;
    };
    expect(await failedWith(accepted[0]!)).toBe('ROUTE_IMPOSSIBLE');
    expect(await failedWith(accepted[1]!)).toBe('ROUTE_IMPOSSIBLE');
    expect(await failedWith(later.body.id)).toBe('ROUTE_POOL_UNUSABLE');
  }, 90_000);

  it('serves an OpenAPI document generated from the schemas', async () => {
    const r = await s.api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.components.schemas.JobSpec.properties.resources.properties.gpus.maximum).toBe(16);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/jobs', '/jobs/{id}', '/jobs/{id}/cancel', '/pools', '/pools/{pool}/policy']));
  });
});
