// The local host serving the fixture app's HTTP functions: routes, methods, bodies, responses, auth levels.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/local/host/index.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';

const appRoot = fileURLToPath(new URL('../../fixtures/host-app', import.meta.url));
type Event = { kind: string; function?: string; hookData?: Record<string, unknown>; error?: string };
const events = (): Event[] => (globalThis as unknown as Record<symbol, Event[]>)[Symbol.for('host-app-fixture.events')] ?? [];

describe('local host: HTTP triggers', () => {
  let azurite: TestAzurite;
  let host: RunningHost;
  const lines: string[] = [];

  beforeAll(async () => {
    azurite = await startAzurite();
    host = await startHost({
      appRoot,
      port: 0,
      timers: 'manual',
      env: { AzureWebJobsStorage: azurite.connectionString, TICK_SCHEDULE: '*/1 * * * * *', FAILING_QUEUE: 'failing' },
      keys: { functionKeys: ['fn-key'], masterKey: 'master-key' },
      log: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('lists the functions registered through app.*, with their triggers', () => {
    expect(host.functions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'getItem', trigger: 'http', route: 'items/{id:int}' }),
        { name: 'tick', trigger: 'timer' },
        { name: 'work', trigger: 'queue' },
      ]),
    );
    expect(host.functions).toHaveLength(14);
  });

  it('passes route parameters, query and headers to the handler under the routePrefix', async () => {
    const res = await fetch(`${host.url}/api/items/42?q=hello`, { headers: { 'x-test': 'from-test' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      id: '42',
      q: 'hello',
      header: 'from-test',
      url: `${host.url}/api/items/42?q=hello`,
      functionName: 'getItem',
    });
  });

  it('matches literals case-insensitively and applies constraints and optional parameters', async () => {
    expect((await fetch(`${host.url}/API/Items/7`)).status).toBe(200);
    expect((await fetch(`${host.url}/api/items/abc`)).status).toBe(404); // {id:int}
    expect(await (await fetch(`${host.url}/api/items/abc/tags`)).json()).toEqual({ params: { id: 'abc' } });
    expect(await (await fetch(`${host.url}/api/items/abc/tags/red`)).json()).toEqual({ params: { id: 'abc', tag: 'red' } });
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    expect((await fetch(`${host.url}/api/nowhere`)).status).toBe(404);
    expect((await fetch(`${host.url}/items/42`)).status).toBe(404); // outside the routePrefix
    const wrong = await fetch(`${host.url}/api/items/42`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('passes the body and maps HttpResponse status, headers and cookies', async () => {
    const res = await fetch(`${host.url}/api/items`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'gpu' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/items/7');
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBe('session=abc; Path=/; HttpOnly; SameSite=Lax');
    expect(await res.json()).toEqual({ received: { name: 'gpu' }, method: 'PUT' });
  });

  it('maps a plain HttpResponseInit with a text body, and no result to 204', async () => {
    const res = await fetch(`${host.url}/api/text`);
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('accepted as text');
    expect((await fetch(`${host.url}/api/nothing`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers 500 when the handler throws, and logs the failed invocation', async () => {
    const res = await fetch(`${host.url}/api/boom`);
    expect(res.status).toBe(500);
    const entry = lines.map((l) => JSON.parse(l)).find((e) => e.kind === 'invocation' && e.function === 'boom');
    expect(entry).toMatchObject({ trigger: 'http', outcome: 'failed', error: 'kaboom', level: 'error' });
    expect(typeof entry.durationMs).toBe('number');
    expect(entry.invocationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one invocation line and the handler context.log lines with their level', async () => {
    await fetch(`${host.url}/api/items/5`);
    const entries = lines.map((l) => JSON.parse(l));
    const invocation = entries.filter((e) => e.kind === 'invocation' && e.function === 'getItem').at(-1);
    expect(invocation).toMatchObject({ outcome: 'succeeded', trigger: 'http', level: 'information' });
    const userLog = entries.find((e) => e.kind === 'log' && e.invocationId === invocation.invocationId);
    expect(userLog).toMatchObject({ level: 'information', message: 'reading item 5', function: 'getItem' });
  });

  it('enforces authLevel function with a function key or the master key, via code or x-functions-key', async () => {
    expect((await fetch(`${host.url}/api/secure`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/secure?code=wrong`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/secure?code=fn-key`)).status).toBe(200);
    expect((await fetch(`${host.url}/api/secure`, { headers: { 'x-functions-key': 'master-key' } })).status).toBe(200);
  });

  it('enforces authLevel admin with the master key only', async () => {
    expect((await fetch(`${host.url}/api/admin-only?code=fn-key`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/admin-only?code=master-key`)).status).toBe(200);
  });

  it('runs a non-HTTP function through POST /admin/functions/{name} with the master key', async () => {
    expect((await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}' })).status).toBe(401);
    const res = await fetch(`${host.url}/admin/functions/tick`, {
      method: 'POST',
      headers: { 'x-functions-key': 'master-key', 'content-type': 'application/json' },
      body: JSON.stringify({ input: '' }),
    });
    expect(res.status).toBe(202);
    await expect.poll(() => lines.some((l) => l.includes('"function":"tick"') && l.includes('"outcome":"succeeded"'))).toBe(true);
  });

  it('runs the app hooks: appStart once, pre- and postInvocation around each invocation with shared hookData', async () => {
    expect(events().filter((e) => e.kind === 'appStart')).toHaveLength(1);
    await fetch(`${host.url}/api/items/9`);
    await fetch(`${host.url}/api/boom`);
    const hooks = events().filter((e) => e.kind === 'pre' || e.kind === 'post');
    expect(hooks.slice(-4).map((e) => `${e.kind}:${e.function}`)).toEqual(['pre:getItem', 'post:getItem', 'pre:boom', 'post:boom']);
    expect(hooks.at(-3)!.hookData).toEqual({ startedBy: 'hook' });
    expect(hooks.at(-1)!.error).toBe('kaboom');
  });
});
