// The Jobs API handlers against a recording fake of the job service (the seam they call): what each passes on, the
// statuses and headers each answers, the Idempotency-Key rules at their edges, the admin-only usage, and withCaller
// turning a thrown JobsError into problem+json.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobsApi, withCaller } from '../../../src/http/jobs-api.js';
import { JobsError } from '../../../src/jobs/errors.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import type { JobService } from '../../../src/services/jobs.js';

const T = '2026-11-28T10:00:00Z';
const record = (state: JobRecord['state'], extra: Partial<JobRecord> = {}): JobRecord => ({
  id: 'j-1', user: 'ann@example.com', name: 'train', spec: jobSpecSchema.parse({ name: 'train', commandLine: 'run' }), specHash: 'h', state, submittedAt: T, updatedAt: T, dispatchAttempts: 0, ...extra,
});

function fakeService(o: { replayed?: boolean; cancelled?: JobRecord['state']; fail?: Error } = {}) {
  const calls: unknown[][] = [];
  const service = {
    async submit(...a: unknown[]) { calls.push(['submit', ...a]); if (o.fail) throw o.fail; return { job: record('queued'), replayed: o.replayed ?? false }; },
    async list(...a: unknown[]) { calls.push(['list', ...a]); return { items: [] }; },
    async get(...a: unknown[]) { calls.push(['get', ...a]); return { id: a[0] }; },
    async cancel(...a: unknown[]) { calls.push(['cancel', ...a]); return record(o.cancelled ?? 'cancelled'); },
    async logs(...a: unknown[]) { calls.push(['logs', ...a]); return { text: 'hello' }; },
    async usage(...a: unknown[]) { calls.push(['usage', ...a]); return { pool: a[0], users: [] }; },
  } as unknown as JobService;
  return { calls, api: jobsApi(() => service) };
}

const ann = { user: 'ann@example.com', roles: ['DsvmPool.User'], isAdmin: false };
const admin = { user: 'root@example.com', roles: ['DsvmPool.Admin'], isAdmin: true };
const submitRequest = (headers: Record<string, string> = {}, body = '{"name":"train","commandLine":"run"}') =>
  new HttpRequest({ method: 'POST', url: 'http://localhost/api/jobs', body: { string: body }, headers: { 'content-type': 'application/json', ...headers } });
const bodyOf = (r: { body?: unknown }) => JSON.parse(String(r.body)) as Record<string, unknown>;

/** A valid job spec whose JSON text is exactly `bytes` long (env values, at most 4,096 characters each, pad it). */
function specOfBytes(bytes: number): string {
  const env: Record<string, string> = {};
  for (let i = 0; i < 16; i++) env[`PAD${i}`] = 'x'.repeat(4000);
  const text = (last: string) => JSON.stringify({ name: 'big', commandLine: 'x', env: { ...env, LAST: last } });
  const missing = bytes - Buffer.byteLength(text(''));
  if (missing < 0 || missing > 4096) throw new Error(`cannot pad a job spec to ${bytes} bytes`);
  return text('y'.repeat(missing));
}

describe('POST /jobs', () => {
  it('submits the parsed spec as the caller, answering 202 with Location and the job', async () => {
    const { calls, api } = fakeService();
    const r = await api.submit(submitRequest({ 'idempotency-key': 'k-1' }), ann);
    expect(calls).toEqual([['submit', 'ann@example.com', jobSpecSchema.parse({ name: 'train', commandLine: 'run' }), 'k-1']]);
    expect(r.status).toBe(202);
    expect(r.headers).toEqual({ location: '/api/jobs/j-1' });
    expect(r.jsonBody).toMatchObject({ id: 'j-1', state: 'queued', location: '/api/jobs/j-1', job: { id: 'j-1', name: 'train', user: 'ann@example.com' } });
  });

  it('says a replayed submission is one', async () => {
    const { api } = fakeService({ replayed: true });
    expect((await api.submit(submitRequest({ 'idempotency-key': 'k-1' }), ann)).headers).toEqual({ location: '/api/jobs/j-1', 'idempotent-replayed': 'true' });
  });

  it('passes no key when none came', async () => {
    const { calls, api } = fakeService();
    await api.submit(submitRequest(), ann);
    expect(calls[0]![3]).toBeUndefined();
  });

  it.each([
    ['1 character', 'a', true],
    ['256 characters', 'k'.repeat(256), true],
    ['"!" and "~", the ends of printable ASCII', '!~', true],
    ['257 characters', 'k'.repeat(257), false],
    ['a space', 'a b', false],
    ['a tab', 'a\tb', false],
    ['DEL', 'a\x7fb', false],
  ])('takes an Idempotency-Key of %s: %s', async (_what, key, ok) => {
    const { calls, api } = fakeService();
    const r = await api.submit(submitRequest({ 'idempotency-key': key }), ann);
    if (ok) {
      expect(r.status).toBe(202);
      return;
    }
    expect(calls).toEqual([]);
    expect(r.status).toBe(400);
    expect(bodyOf(r)).toMatchObject({
      code: 'VALIDATION_FAILED',
      title: 'Invalid Idempotency-Key',
      detail: 'Idempotency-Key must be 1-256 printable ASCII characters without spaces (a UUID is ideal).',
      errors: [{ field: 'Idempotency-Key', message: 'must be 1-256 printable ASCII characters' }],
    });
  });

  it('takes a job spec of 64 KiB (65,536 bytes) and refuses 65,537 with 413, submitting nothing', async () => {
    const { calls, api } = fakeService();
    expect((await api.submit(submitRequest({}, specOfBytes(65_536)), ann)).status).toBe(202);
    expect(calls).toHaveLength(1);
    const over = await api.submit(submitRequest({}, specOfBytes(65_537)), ann);
    expect(over.status).toBe(413);
    expect(bodyOf(over)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: 'The job spec is 65537 bytes; at most 65536 bytes are accepted. Move large data into input files.' });
    expect(calls).toHaveLength(1);
  });

  it('submits nothing for a body that does not parse, answering its problem', async () => {
    const { calls, api } = fakeService();
    const r = await api.submit(submitRequest({}, '{"name":"train"}'), ann);
    expect(calls).toEqual([]);
    expect(r.status).toBe(400);
    expect(bodyOf(r)).toMatchObject({ title: 'Invalid job spec', errors: [{ field: 'commandLine' }] });
  });
});

describe('GET, cancel, logs and usage', () => {
  const get = (url: string, params: Record<string, string> = {}) => new HttpRequest({ method: 'GET', url, params });

  it('lists with the parsed query and the caller', async () => {
    const { calls, api } = fakeService();
    const r = await api.list(get('http://localhost/api/jobs?state=running&top=5'), ann);
    expect(calls).toEqual([['list', { state: 'running', top: 5 }, ann]]);
    expect(r).toEqual({ status: 200, jsonBody: { items: [] } });
    const bad = await api.list(get('http://localhost/api/jobs?top=0'), ann);
    expect(bad.status).toBe(400);
    expect(bodyOf(bad).title).toBe('Invalid job listing query');
  });

  it('gets a job by its id, and "" when the route has none', async () => {
    const { calls, api } = fakeService();
    expect(await api.get(get('http://localhost/api/jobs/j-9', { id: 'j-9' }), ann)).toEqual({ status: 200, jsonBody: { id: 'j-9' } });
    await api.get(get('http://localhost/api/jobs/'), ann);
    expect(calls).toEqual([['get', 'j-9', ann], ['get', '', ann]]);
  });

  it('answers a cancel 200 once cancelled and 202 while it is cancelling', async () => {
    const done = fakeService({ cancelled: 'cancelled' });
    const r = await done.api.cancel(get('http://localhost/api/jobs/j-1/cancel', { id: 'j-1' }), ann);
    expect(r.status).toBe(200);
    expect(r.jsonBody).toMatchObject({ id: 'j-1', state: 'cancelled' });
    expect(done.calls).toEqual([['cancel', 'j-1', ann]]);
    const pending = fakeService({ cancelled: 'cancelling' });
    expect((await pending.api.cancel(get('http://localhost/api/jobs/j-1/cancel', { id: 'j-1' }), ann)).status).toBe(202);
    await pending.api.cancel(get('http://localhost/api/jobs//cancel'), ann);
    expect(pending.calls.at(-1)).toEqual(['cancel', '', ann]);
  });

  it('reads logs with the parsed query, and refuses a bad one', async () => {
    const { calls, api } = fakeService();
    expect(await api.logs(get('http://localhost/api/jobs/j-1/logs', { id: 'j-1' }), ann)).toEqual({ status: 200, jsonBody: { text: 'hello' } });
    expect(calls[0]!.slice(0, 3)).toEqual(['logs', 'j-1', ann]);
    await api.logs(get('http://localhost/api/jobs//logs'), ann);
    expect(calls[1]![1]).toBe('');
    const bad = await api.logs(get('http://localhost/api/jobs/j-1/logs?colour=red', { id: 'j-1' }), ann);
    expect(bad.status).toBe(400);
    expect(bodyOf(bad).title).toBe('Invalid logs query');
    expect(calls).toHaveLength(2);
  });

  it('shows a pool\'s usage to admins only, for a well-formed pool name', async () => {
    const { calls, api } = fakeService();
    const refused = await api.usage(get('http://localhost/api/pools/gpu/usage', { pool: 'gpu' }), ann);
    expect(refused.status).toBe(403);
    expect(bodyOf(refused)).toMatchObject({ code: 'FORBIDDEN', title: 'Admins only', detail: 'Per-user usage of a pool is for admins; your own jobs are in GET /api/jobs.' });
    expect(await api.usage(get('http://localhost/api/pools/gpu/usage', { pool: 'gpu' }), admin)).toEqual({ status: 200, jsonBody: { pool: 'gpu', users: [] } });
    expect((await api.usage(get('http://localhost/api/pools/x/usage', { pool: 'g/pu' }), admin)).status).toBe(400);
    expect((await api.usage(get('http://localhost/api/pools//usage'), admin)).status).toBe(400);
    expect(calls).toEqual([['usage', 'gpu']]);
  });
});

describe('withCaller', () => {
  // The app's settings as the Functions host would give them, with App Service authentication on: the platform
  // principal names the caller (no token service needed).
  beforeAll(() => {
    vi.stubEnv('AzureWebJobsStorage', 'UseDevelopmentStorage=true');
    vi.stubEnv('WEBSITE_AUTH_ENABLED', 'true');
  });
  afterAll(() => vi.unstubAllEnvs());
  const principal = (roles: string[]) => Buffer.from(JSON.stringify({ claims: [{ typ: 'preferred_username', val: 'Ann@Example.com' }, ...roles.map((val) => ({ typ: 'roles', val }))] })).toString('base64');
  const request = (roles: string[] | undefined) =>
    new HttpRequest({ method: 'GET', url: 'http://localhost/api/jobs', headers: roles ? { 'x-ms-client-principal': principal(roles) } : {} });
  const warnings: unknown[] = [];
  const context = new InvocationContext({ functionName: 'jobs', invocationId: 'i', logHandler: (level, ...args) => { if (level === 'warning') warnings.push(args.join(' ')); } });

  it('hands the handler the identified caller', async () => {
    const seen: unknown[] = [];
    const r = await withCaller(async (_req, who) => (seen.push(who), { status: 204 }))(request(['DsvmPool.User']), context);
    expect(r).toEqual({ status: 204 });
    expect(seen).toEqual([{ user: 'ann@example.com', id: undefined, roles: ['DsvmPool.User'], isAdmin: false }]);
  });

  it('answers 401 without a caller and 403 when an admin is needed, without calling the handler', async () => {
    const seen: unknown[] = [];
    const handler = async () => (seen.push(1), { status: 204 });
    expect((await withCaller(handler)(request(undefined), context)).status).toBe(401);
    const r = await withCaller(handler, 'admin')(request(['DsvmPool.User']), context);
    expect(r.status).toBe(403);
    expect(bodyOf(r).detail).toMatch(/^This needs the app role/);
    expect(seen).toEqual([]);
  });

  it('turns a thrown JobsError into its problem+json and logs a warning', async () => {
    const r = await withCaller(async () => { throw new JobsError('JOB_NOT_FOUND', 'No job "x" for you'); })(request(['DsvmPool.User']), context);
    expect(r.status).toBe(404);
    expect(bodyOf(r)).toMatchObject({ code: 'JOB_NOT_FOUND', detail: 'No job "x" for you' });
    expect(warnings).toEqual(['jobs API: No job "x" for you']);
  });
});
