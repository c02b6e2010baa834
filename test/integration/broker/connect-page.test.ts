// The connect page in headless Chromium on a stack whose emulator clock runs 60× (as `npm start` does): it counts down
// in REAL seconds, lands on the hub once the VM runs, says plainly when starting failed and what the admin was told,
// and stops refreshing after a bounded number of tries with a retry link.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_MAX_WAIT_MINUTES } from '../../../src/http/connect-page.js';
import { signedInPage, USER_ROLE } from '../../support/identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { brokerFixture } from './broker-fixture.js';

let stack: TestStack;
let hub: Server;
let hubUrl: string;
type Browser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;
let browser: Browser;

beforeAll(async () => {
  expect(existsSync('/usr/bin/chromium'), 'needs Debian chromium: apt-get install -y chromium').toBe(true);
  hub = createServer((_req, res) => res.end('<!doctype html><title>JupyterHub</title><h1>JupyterHub</h1>'));
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub/`;
  stack = await startTestStack({ emulator: { clock: { speed: 60 } }, env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await new Promise((r) => hub?.close(r));
});

/** A browser signed in as `user` (App Service authentication on the local host), opened at `path`. */
const pageAs = (user: string, path: string) => signedInPage(browser, stack, user, USER_ROLE, path);

describe('the connect page', () => {
  it('counts down in real seconds (the clock runs 60×) and lands on the hub once the VM runs', async () => {
    const b = brokerFixture(stack, 'realtime');
    await b.putPolicy({ connectUrl: hubUrl, seatsPerInstance: 4 });
    const page = await pageAs('rosa@example.com', `/api/pools/${b.pool}/connect`);
    expect(await page.textContent('#headline')).toBe('Starting a VM for you');
    // Where the held VM is reached directly: its inbound NAT ports on the load balancer (the emulator's: 127.0.0.1).
    expect(await page.textContent('#ssh-command')).toMatch(/^ssh -p 50\d{3} rosa@127\.0\.0\.1$/);
    expect(await page.textContent('#jupyter-url')).toMatch(/^https:\/\/127\.0\.0\.1:51\d{3}\/$/);
    // Expected in 5 simulated minutes = 5 real seconds at 60×: the page must not say "5 minutes".
    const first = Number(await page.getAttribute('#countdown', 'data-seconds'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(6);
    expect(await page.textContent('#countdown')).toMatch(/^about \d seconds$/);
    await page.waitForURL(hubUrl, { timeout: 30_000 });
    expect(await page.textContent('h1')).toBe('JupyterHub');
  });

  it('says plainly that starting failed and what the admin was told', async () => {
    const b = brokerFixture(stack, 'broken');
    await b.putPolicy({ connectUrl: hubUrl });
    const rule = stack.emulator.faults.add({ operation: 'compute.vmss.update', kind: 'status', status: 500, code: 'InternalServerError', message: 'The server encountered an internal error.' });
    try {
      const page = await pageAs('omar@example.com', `/api/pools/${b.pool}/connect`);
      expect(await page.textContent('#headline')).toBe('Starting a VM has failed');
      const failure = await page.textContent('#failure');
      expect(failure).toMatch(/Starting a VM has failed/);
      expect(failure).toMatch(/The admin was told, in the pool's event log/);
      expect(await page.locator('#countdown').count()).toBe(0);
    } finally {
      stack.emulator.faults.remove(rule);
    }
  });

  it(`stops refreshing after ${CONNECT_MAX_WAIT_MINUTES} minutes (real) and offers a retry link`, async () => {
    const b = brokerFixture(stack, 'patience');
    await b.putPolicy({ connectUrl: hubUrl, maxInstances: 1 });
    const started = Date.now() - (CONNECT_MAX_WAIT_MINUTES + 1) * 60_000;
    const page = await pageAs('uma@example.com', `/api/pools/${b.pool}/connect?started=${started}`);
    expect(await page.textContent('#stopped')).toMatch(/stopped refreshing/);
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.getAttribute('#retry', 'href')).toBe(`/api/pools/${b.pool}/connect`);
  });

  it('sends a browser that is not signed in to sign-in and back to the link; a script gets 401', async () => {
    const link = `${stack.host.url}/api/pools/anyone/connect?code=k`;
    const browserVisit = await fetch(link, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    expect(browserVisit.status).toBe(302);
    expect(browserVisit.headers.get('location')).toBe(`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/api/pools/anyone/connect?code=k')}`);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(link, { headers: { accept: 'text/html', authorization: 'Bearer nonsense' }, redirect: 'manual' })).status).toBe(401);
  });
});
