// The dashboard in headless Chromium against the real stack (Azurite, the Azure emulator, the local Functions host):
// what an admin and a user each see, the timeline after an hour of simulated sessions, a warning played through the
// emulator, and an automated accessibility check. Screenshots go to test-output/dashboard.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { emulatorFetch } from '../emulator/emulator-clients.js';
import { poolFixture, type PoolFixture } from '../autoscale/pool-fixture.js';
import { ADMIN_ROLE, axeViolations, dashboardPage, identityHeaders, launchChromium, screenshot, USER_ROLE } from './browser.js';

let stack: TestStack;
let browser: Browser;
let lab: PoolFixture;
const ADMIN = 'admin@example.com';

async function submitJob(user: string, name: string): Promise<string> {
  const r = await fetch(`${stack.host.url}/api/jobs`, { method: 'POST', headers: { ...(await identityHeaders(stack, user)), 'content-type': 'application/json' }, body: JSON.stringify({ name, commandLine: 'python train.py' }) });
  expect(r.status).toBe(202);
  return ((await r.json()) as { id: string }).id;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_POOL_PRICES: JSON.stringify({ lab: { vmSize: 'Standard_D8s_v5', vmPerHour: 0.5 } }) } });
  browser = await launchChromium();
  lab = poolFixture(stack, 'lab');
  expect((await lab.putPolicy({ seatsPerInstance: 4, spareSeats: 2, idleMinutesBeforeScaleIn: 20, scaleOutCooldownMinutes: 0, scaleInCooldownMinutes: 5, maxDeallocated: 10 })).status).toBe(200);
  // An hour of sessions: one VM woken, 7 people on for the hour, through the real autoscale timer each minute.
  expect((await lab.api('pools/lab/wake', { method: 'POST' })).status).toBe(202);
  await lab.minutes(4);
  stack.emulator.compute.setUsers(lab.id, 7);
  await lab.minutes(60);
  const ids = [await submitJob('alice@example.com', 'alice-train'), await submitJob('bob@example.com', 'bob-train')];
  // Everyone's jobs come from the `all` index, which dispatch writes when it first takes a job (README, Jobs API).
  const admin = await identityHeaders(stack, ADMIN, ADMIN_ROLE);
  for (let i = 0; i < 200; i++) {
    const listed = (await (await fetch(`${stack.host.url}/api/jobs?top=100`, { headers: admin })).json()) as { items: { id: string }[] };
    if (ids.every((id) => listed.items.some((j) => j.id === id))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('dashboard for an admin', () => {
  it('shows every VM, the decision, decisions, everyone’s jobs and the money, and draws the timeline from real data', async () => {
    const page = await dashboardPage(stack, browser, ADMIN, ADMIN_ROLE);
    await expect.poll(() => page.textContent('#who')).toBe(`${ADMIN} (admin)`);

    const vmRows = page.locator('#pools-list table[aria-label], #pools-list table').first().locator('tbody tr');
    await expect.poll(() => vmRows.count()).toBe(3);
    expect(await page.locator('#pools-list .decision').first().textContent()).toMatch(/No change|Scale/);
    // Per-VM seats at 4 a VM: the emulator put all 7 people on the VM that was running when they arrived (they
    // never move), so VM 0 is 3 over and the two new VMs are free.
    expect(await page.locator('#pools-list tbody tr td:nth-child(4)').allTextContents()).toEqual(['0 of 4 free (3 over)', '4 of 4 free', '4 of 4 free']);
    expect(await page.locator('#pools-list tbody tr td:nth-child(3)').allTextContents()).toEqual(['7', '0', '0']);

    // The timeline: demand points from the session metric and the scale-out marked.
    const chart = page.locator('#timeline-chart');
    await expect.poll(() => chart.getAttribute('data-points')).not.toBeNull();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(12);
    expect(Number(await chart.getAttribute('data-actions'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#timeline-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('#timeline-summary')).toBe('lab, last 24h: peak 7 sessions, 12 seats now, 2 scale actions.');
    expect(await page.textContent('#timeline-actions')).toMatch(/out.*done.*7 sessions \+ 2 spare seats need 3 VMs.*out.*done.*a wake request needs 1 VM/s);

    // Hovering the scale-out's marker shows its reason.
    const t = (await (await fetch(`${stack.host.url}/api/pools/lab/timeline?range=24h`, { headers: await identityHeaders(stack, ADMIN, ADMIN_ROLE) })).json()) as { from: string; to: string; actions: { at: string; reason: string }[] };
    const scaleOut = t.actions.find((a) => a.reason.startsWith('7 sessions'))!;
    const box = (await page.locator('#timeline-chart .u-over').boundingBox())!;
    const share = (Date.parse(scaleOut.at) - Date.parse(t.from)) / (Date.parse(t.to) - Date.parse(t.from));
    await page.mouse.move(box.x + share * box.width, box.y + box.height / 2);
    await expect.poll(() => page.textContent('#timeline-hover')).toMatch(/scale out \(done\): 7 sessions \+ 2 spare seats need 3 VMs/);

    // Decisions filter: the scale-out is there; "failed" leaves nothing.
    expect(await page.textContent('#decisions-list')).toContain('7 sessions + 2 spare seats need 3 VMs');
    await page.selectOption('#decisions-outcome', 'failed');
    expect(await page.textContent('#decisions-list')).toContain('no decisions match');
    await page.selectOption('#decisions-outcome', '');

    // Jobs of everyone, with log links; money with the pool's configured price.
    const jobs = await page.textContent('#jobs-list');
    expect(jobs).toContain('alice-train');
    expect(jobs).toContain('bob-train');
    expect(await page.locator('#jobs-list a', { hasText: 'logs' }).first().getAttribute('href')).toMatch(/^\/api\/jobs\/[0-9a-f]{12}-\d{13}-[0-9a-z]{6}\/logs$/);
    // The jobs' pool filter offers the pools the jobs are on, not the VM scale set pools.
    const jobPools = await page.$$eval('#jobs-pool option', (os) => os.map((o) => o.getAttribute('value') ?? ''));
    expect(jobPools[0]).toBe('');
    expect(jobPools).not.toContain('lab');
    expect(jobPools.length).toBeGreaterThan(1);
    const money = await page.textContent('#money-list');
    expect(money).toContain('Standard_D8s_v5 · $0.50/h');
    expect(money).toMatch(/3 VMs: \$/);

    await screenshot(page, 'admin');
    await page.context().close();
  });

  it('answers the same pools as GET /api/pools', async () => {
    const headers = await identityHeaders(stack, ADMIN, ADMIN_ROLE);
    const [api, view] = await Promise.all([
      fetch(`${stack.host.url}/api/pools`, { headers }).then((r) => r.json() as Promise<{ items: { pool: string; instances: unknown[]; warnings: unknown[] }[] }>),
      fetch(`${stack.host.url}/api/ui/view`, { headers }).then((r) => r.json() as Promise<{ pools: { pool: string; instances: unknown[]; warnings: unknown[] }[] }>),
    ]);
    expect(view.pools.map((p) => [p.pool, p.instances, p.warnings])).toEqual(api.items.map((p) => [p.pool, p.instances, p.warnings]));
  });

  it('serves the 7-day timeline hourly from the same metric and events', async () => {
    const r = await fetch(`${stack.host.url}/api/pools/lab/timeline?range=7d`, { headers: await identityHeaders(stack, 'alice@example.com') });
    expect(r.status).toBe(200);
    const t = (await r.json()) as { intervalMinutes: number; demand: { sessions: number }[]; capacity: { seats: number; activeVms: number }[]; actions: { direction: string }[] };
    expect(t.intervalMinutes).toBe(60);
    expect(Math.max(...t.demand.map((p) => p.sessions))).toBe(7);
    expect(t.capacity.map((c) => c.activeVms)).toEqual([0, 1, 3]);
    expect(t.actions.map((a) => a.direction)).toEqual(['out', 'out']);
    const bad = await fetch(`${stack.host.url}/api/pools/lab/timeline?range=1y`, { headers: await identityHeaders(stack, 'alice@example.com') });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'range' }] });
    expect((await fetch(`${stack.host.url}/api/pools/nope/timeline`, { headers: await identityHeaders(stack, 'alice@example.com') })).status).toBe(404);
  });
});

describe('dashboard for a user', () => {
  it('shows the pools and only their own jobs; no decisions, no money, no other people', async () => {
    const page = await dashboardPage(stack, browser, 'alice@example.com', USER_ROLE, { width: 390, height: 844 });
    await expect.poll(() => page.textContent('#who')).toBe('alice@example.com');
    await expect.poll(() => page.locator('#pools-list tbody tr').count()).toBe(3);
    const jobs = await page.textContent('#jobs-list');
    expect(jobs).toContain('alice-train');
    expect(jobs).not.toContain('bob-train');
    expect(await page.textContent('#money-list')).toBe('Costs are shown to admins.');
    expect(await page.textContent('#decisions-list')).toBe('Decisions are shown to admins.');
    expect(await page.isVisible('#decisions-controls')).toBe(false);
    await screenshot(page, 'user-phone');
    await page.context().close();
  });

  it('sends a browser that is not signed in to the sign-in page, back to the dashboard afterwards', async () => {
    const r = await fetch(`${stack.host.url}/api/ui`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fui');
    expect((await fetch(`${stack.host.url}/api/ui/view`)).status).toBe(401);
    expect((await fetch(`${stack.host.url}/api/pools/lab/timeline?range=7d`)).status).toBe(401);
    // Credentials that are refused are not sent round the sign-in loop: 401 problem+json, as on the API.
    const refused = await fetch(`${stack.host.url}/api/ui`, { redirect: 'manual', headers: { authorization: 'Bearer not-a-token' } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('answers an unknown built file and a malformed pool name with problem+json', async () => {
    const missing = await fetch(`${stack.host.url}/api/ui/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ code: 'FILE_NOT_FOUND' });
    const badName = await fetch(`${stack.host.url}/api/pools/bad!name/timeline`, { headers: await identityHeaders(stack, 'alice@example.com') });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'pool' }] });
  });
});

describe('health warnings and accessibility', () => {
  it('shows a VM powered off from inside as stopped-but-allocated, with what to do, without a reload', async () => {
    const page = await dashboardPage(stack, browser, ADMIN, ADMIN_ROLE);
    await expect.poll(() => page.locator('#pools-list tbody tr').count()).toBe(3);
    expect(await page.locator('.warning').count()).toBe(0);
    // `sudo poweroff` inside the VM: Azure sees the instance stopped, still allocated (the poweroff action).
    const off = await emulatorFetch(stack.emulator, `${lab.id}/poweroff?api-version=2024-07-01`, { method: 'POST', body: { instanceIds: ['0'] } });
    expect(off.status).toBe(202);
    await lab.minutes(1, { tick: false });
    const warning = page.locator('.warning', { hasText: 'stopped but not deallocated' });
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.textContent()).toMatch(/VM 0: stopped but not deallocated.*What to do: .*Deallocate it/s);
    await screenshot(page, 'admin-warning');
    await page.context().close();
  });

  it('passes axe-core’s WCAG 2.1 A/AA checks for an admin and for a user on a phone', async () => {
    for (const [user, role, viewport] of [[ADMIN, ADMIN_ROLE, { width: 1280, height: 900 }], ['alice@example.com', USER_ROLE, { width: 390, height: 844 }]] as const) {
      const page = await dashboardPage(stack, browser, user, role, viewport);
      await page.locator('#timeline-chart canvas').first().waitFor();
      await expect.poll(() => page.locator('#pools-list tbody tr').count()).toBe(3);
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    }
  });

  it('reaches every filter by keyboard', async () => {
    const page = await dashboardPage(stack, browser, ADMIN, ADMIN_ROLE);
    await page.locator('#timeline-chart canvas').first().waitFor();
    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate<string>("document.activeElement?.id ?? ''");
      if (id) reached.add(id);
    }
    for (const id of ['timeline-pool', 'timeline-range', 'decisions-outcome', 'decisions-direction', 'decisions-errors', 'jobs-pool']) expect(reached, id).toContain(id);
    await page.context().close();
  });
});
