// The pool API (status, events, wake, connect, policy), invalid rows, Azure faults and concurrent evaluations, over
// Azurite, the emulator and the local host in simulated time.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/local/demo.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { authHeaders, signedInPage } from '../../support/identity.js';
import { ADMIN, poolFixture, writeRawPolicy } from './pool-fixture.js';

let stack: TestStack;
let hub: Server;
let hubUrl: string;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
  // Stands in for the JupyterHub behind the load balancer that connectUrl points at.
  hub = createServer((_req, res) => res.end('<!doctype html><title>JupyterHub</title><h1>JupyterHub</h1>'));
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub/`;
});
afterAll(async () => {
  await new Promise((r) => hub?.close(r));
  await stack?.stop();
});

describe('policy API', () => {
  it('names each bad field in a 400 problem and writes nothing', async () => {
    const p = poolFixture(stack, 'api-policy');
    const r = await p.putPolicy({ maxInstances: 0, scaleInAction: 'stop', schedules: [{ from: '8am', to: '18:00' }], idleMinutes: 5 });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const body = (await r.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['idleMinutes', 'maxInstances', 'scaleInAction', 'schedules.0.from']);
    expect((await p.api(`pools/${p.pool}/policy`, { as: ADMIN })).status).toBe(404);
    const big = await p.putPolicy({ notes: 'x'.repeat(40 * 1024) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((await p.api(`pools/${p.pool}/policy`, { as: ADMIN })).status).toBe(404);
  });

  it('lets only admins read or change a policy, and returns every default', async () => {
    const p = poolFixture(stack, 'api-admin');
    expect((await p.api(`pools/${p.pool}/policy`, { method: 'PUT', body: JSON.stringify({ kind: 'vmss', target: p.id }) })).status).toBe(403);
    expect((await p.putPolicy({ enabled: false })).status).toBe(200);
    const got = (await (await p.api(`pools/${p.pool}/policy`, { as: ADMIN })).json()) as { policy: Record<string, unknown> };
    expect(got.policy).toMatchObject({ enabled: false, minInstances: 0, maxInstances: 10, spareSeats: 0, idleMinutesBeforeScaleIn: 5, maxDeallocated: 0, scaleInAction: 'deallocate', schedules: [] });
  });
});

describe('ticks with bad rows and Azure faults', () => {
  it('records an invalid hand-edited row as policy-invalid and evaluates the other pools', async () => {
    const bad = poolFixture(stack, 'hand-edited');
    const good = poolFixture(stack, 'still-managed');
    await writeRawPolicy(stack, bad.pool, { kind: 'vmss', target: bad.id, maxInstances: 'lots', minInstance: 1 });
    await good.putPolicy({ minInstances: 1 });
    await good.tick();
    await good.tick();
    const events = await bad.events();
    expect(events).toHaveLength(1); // once per change, not once per tick
    expect(events[0]).toMatchObject({ kind: 'policy-invalid', problems: [{ field: 'maxInstances', reason: 'must be a whole number' }, { field: 'minInstance', reason: expect.stringContaining('not a policy field') }] });
    expect(bad.states()).toEqual([]);
    expect(good.states()).toEqual(['0:creating']);
    const status = await bad.api(`pools/${bad.pool}`);
    expect(status.status).toBe(409);
    expect(await status.json()).toMatchObject({ code: 'POLICY_INVALID', detail: expect.stringContaining('maxInstances must be a whole number') });
    const row = (await (await bad.api(`pools/${bad.pool}/policy`, { as: ADMIN })).json()) as { problems?: { field: string }[] };
    expect(row.problems?.map((q) => q.field)).toEqual(['maxInstances', 'minInstance']);
  });

  it.each([
    ['429 throttling', { kind: 'status', status: 429, retryAfterSeconds: 1 }, 'ARM_THROTTLED'],
    ['409 conflict', { kind: 'status', status: 409, code: 'Conflict' }, 'ARM_CONFLICT'],
    ['500 server error', { kind: 'status', status: 500 }, 'ARM_UNAVAILABLE'],
    ['503 unavailable', { kind: 'status', status: 503 }, 'ARM_UNAVAILABLE'],
  ] as const)('survives %s: records it, retries at the next tick, creates the VM once', async (name, rule, code) => {
    const p = poolFixture(stack, `fault-${rule.status}`);
    await p.putPolicy({ minInstances: 1, scaleOutCooldownMinutes: 0 });
    const id = stack.emulator.faults.add({ operation: 'compute.vmss.update', count: 1, ...rule });
    await p.tick();
    stack.emulator.faults.remove(id);
    const [failed] = await p.events();
    expect(failed).toMatchObject({ outcome: 'failed', error: { code, step: 'setCapacity 1' } });
    expect(p.states()).toEqual([]);
    await p.tick();
    await p.minutes(1);
    expect(p.states()).toEqual(['0:creating']);
    expect((await p.events()).filter((e) => e.outcome === 'done' && e.direction === 'out')).toHaveLength(1);
  });

  it('survives a scale-out Azure accepted and then failed: the next tick says so and asks again, creating the VM once', async () => {
    const p = poolFixture(stack, 'fault-lro');
    await p.putPolicy({ minInstances: 1, scaleOutCooldownMinutes: 0 });
    const id = stack.emulator.faults.add({ operation: 'compute.vmss.update', count: 1, kind: 'lro-failed', code: 'AllocationFailed' });
    const updates = stack.emulator.calls({ operation: 'compute.vmss.update' });
    await p.tick();
    stack.emulator.faults.remove(id);
    expect((await p.events())[0]).toMatchObject({ outcome: 'done', steps: ['setCapacity 1 (still running)'], pending: ['setCapacity 1'] });
    await p.minutes(1);
    expect(p.states()).toEqual(['0:creating']);
    const settled = (await p.events()).find((e) => e.settled);
    expect(settled).toMatchObject({ settled: ['setCapacity 1: capacity 0 (did not take effect)'], steps: ['setCapacity 1 (still running)'] });
    expect(stack.emulator.calls({ operation: 'compute.vmss.update' }) - updates).toBe(2);
  });

  it('records a failed observation (instance list 503) and acts on nothing', async () => {
    const p = poolFixture(stack, 'fault-observe');
    await p.putPolicy({ minInstances: 1 });
    const id = stack.emulator.faults.add({ operation: 'compute.vmssvm.list', kind: 'status', status: 503, count: 50 });
    await p.tick();
    stack.emulator.faults.remove(id);
    expect(p.states()).toEqual([]);
    expect((await p.events())[0]).toMatchObject({ outcome: 'failed', error: { code: 'ARM_UNAVAILABLE', step: 'observe' } });
  });

  it('acts once when two wakes and the timer evaluate the same pool at the same time', async () => {
    const p = poolFixture(stack, 'contended');
    await p.putPolicy({ scaleOutCooldownMinutes: 0 });
    const results = await Promise.all([
      p.api(`pools/${p.pool}/wake`, { method: 'POST' }),
      p.api(`pools/${p.pool}/wake`, { method: 'POST' }),
      p.tick(),
    ]);
    expect(results.slice(0, 2).map((r) => (r as Response).status)).toEqual([202, 202]);
    expect(p.states()).toEqual(['0:creating']);
    const outs = (await p.events()).filter((e) => e.kind === 'evaluation' && e.direction === 'out');
    expect(outs).toHaveLength(1);
  });
});

describe('status, events, wake and connect', () => {
  it('shows instances, sessions, protection, the decision and a no-data warning', async () => {
    const p = poolFixture(stack, 'status', 2);
    await p.putPolicy({ minInstances: 2 });
    await p.minutes(4, { tick: false });
    stack.emulator.compute.setReporting(p.id, '1', false);
    stack.emulator.compute.setSessions(p.id, '0', { jupyter: 2 });
    await p.minutes(7);
    const status = (await (await p.api(`pools/${p.pool}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      pool: p.pool,
      capacity: 2,
      instances: [
        { instanceId: '0', state: 'running', sessions: 2, protectFromScaleIn: true },
        { instanceId: '1', state: 'running', sessions: null, protectFromScaleIn: true },
      ],
      warnings: [expect.stringMatching(/^VM 1: no session data for [78] min; counted as busy$/)],
      now: { direction: 'none', reason: expect.any(String) },
    });
    const list = (await (await p.api('pools')).json()) as { items: { pool: string }[] };
    expect(list.items.map((i) => i.pool)).toContain(p.pool);
  });

  it('pages events newest first', async () => {
    const p = poolFixture(stack, 'paged');
    await p.putPolicy({ dryRun: true, minInstances: 1 });
    // An unchanged dry-run plan is written once (README "Autoscale events"); wake requests add a row each.
    for (let i = 0; i < 3; i++) {
      await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
      await p.minutes(2);
    }
    const first = (await (await p.api(`pools/${p.pool}/events?top=2`)).json()) as { items: { at: string }[]; continuationToken?: string };
    expect(first.items).toHaveLength(2);
    expect(first.continuationToken).toBeTruthy();
    const second = (await (await p.api(`pools/${p.pool}/events?top=2&continuationToken=${encodeURIComponent(first.continuationToken!)}`)).json()) as { items: { at: string }[] };
    const times = [...first.items, ...second.items].map((e) => e.at);
    expect(times).toHaveLength(4); // 3 wakes + 1 dry-run evaluation
    expect([...times].sort().reverse()).toEqual(times);
    expect((await p.api(`pools/${p.pool}/events?top=0`)).status).toBe(400);
  });

  it('wakes a pool from zero and answers 202 with the expected ready time', async () => {
    const p = poolFixture(stack, 'wakeable');
    await p.putPolicy({});
    const now = stack.emulator.clock.now().getTime();
    const r = await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
    expect(r.status).toBe(202);
    const body = (await r.json()) as { ready: boolean; expectedReadyAt: string; status: string };
    expect(body).toMatchObject({ ready: false, status: 'creating a new VM' });
    expect(new Date(body.expectedReadyAt).getTime() - now).toBe(5 * 60_000);
    expect(p.states()).toEqual(['0:creating']);
  });

  it('refuses to wake a disabled pool with a problem saying how to enable it, and an unknown pool with 404', async () => {
    const p = poolFixture(stack, 'switched-off');
    await p.putPolicy({ enabled: false });
    const r = await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ code: 'POOL_DISABLED', detail: expect.stringContaining('PUT /api/pools/switched-off/policy') });
    expect(p.states()).toEqual([]);
    expect((await p.api('pools/no-such-pool/connect')).status).toBe(404);
  });

  it('connect brings a VM up from zero and redirects once it runs', async () => {
    const p = poolFixture(stack, 'connectable');
    await p.putPolicy({ connectUrl: hubUrl });
    const waiting = await p.api(`pools/${p.pool}/connect`);
    expect(waiting.status).toBe(200);
    expect(await waiting.text()).toContain('Starting a VM for you');
    expect(p.states()).toEqual(['0:creating']);
    await p.minutes(4, { tick: false });
    const ready = await p.api(`pools/${p.pool}/connect`);
    expect(ready.status).toBe(302);
    expect(ready.headers.get('location')).toBe(hubUrl);
  });

  it('connect page in headless Chromium, after signing in, refreshes itself until it lands on the hub', async () => {
    // A missing browser fails here rather than skipping silently: .ci/run installs it.
    expect(existsSync('/usr/bin/chromium'), 'needs Debian chromium: apt-get install -y chromium').toBe(true);
    const { chromium } = await import('playwright-core');
    const p = poolFixture(stack, 'browser');
    await p.putPolicy({ connectUrl: hubUrl });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await signedInPage(browser, stack, 'browser-user@example.com', 'DsvmPool.User', `/api/pools/${p.pool}/connect`);
      expect(await page.textContent('#headline')).toBe('Starting a VM for you');
      expect(await page.textContent('#status')).toMatch(/^VM 0 is held for you; this page takes you there as soon as it runs\. Expected in about [3-6] minutes\./);
      await p.minutes(4, { tick: false });
      await page.waitForURL(hubUrl, { timeout: 20_000 });
      expect(await page.textContent('h1')).toBe('JupyterHub');
    } finally {
      await browser.close();
    }
  });
});

describe('npm start demo', () => {
  it('seeds a valid, managed dsvm-demo pool at capacity 0', async () => {
    await seedDemo({ storageConnectionString: stack.azurite.connectionString, emulatorUrl: stack.emulator.url, emulator: stack.emulator } as Parameters<typeof seedDemo>[0]);
    const r = await fetch(`${stack.host.url}/api/pools/dsvm-demo`, { headers: await authHeaders(stack, ADMIN.user, ADMIN.roles) });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ pool: 'dsvm-demo', enabled: true, capacity: 0, instances: [] });
  });
});
