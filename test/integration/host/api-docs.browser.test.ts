// The rendered API reference at /api/docs, opened in headless Chromium: the page loads Swagger UI from the app (no
// network beyond the host), fetches /api/openapi.json and lists the operations by summary and operationId.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';

const CHROMIUM = '/usr/bin/chromium';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/docs', () => {
  it('shows the operations in headless Chromium, with every asset served by the app', async () => {
    // A missing browser fails here rather than skipping: .ci/run installs it (see .ci/system-packages).
    expect(existsSync(CHROMIUM), 'needs Debian chromium: apt-get install -y chromium').toBe(true);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      const failed: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(stack.host.url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
      });
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      // With a trailing slash too (a 301 to /api/docs, so the page's relative links still resolve).
      await page.goto(`${stack.host.url}/api/docs/`);
      await page.waitForSelector('.opblock-summary-operation-id', { timeout: 20_000 });
      expect(new URL(page.url()).pathname).toBe('/api/docs');
      await page.goto(`${stack.host.url}/api/docs`);
      await page.waitForSelector('.opblock-summary-operation-id', { timeout: 20_000 });
      const ids = await page.$$eval('.opblock-summary-operation-id', (els) => els.map((e) => e.textContent?.trim()));
      expect(ids).toEqual(expect.arrayContaining(['submitJob', 'getPool', 'putPolicy', 'getHealth']));
      expect(await page.textContent('body')).toContain('Submit a job');
      expect(await page.title()).toBe('dsvm-pool API reference');
      expect(elsewhere).toEqual([]);
      expect(failed).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('serves the bundle gzipped to a client that accepts it, and as is otherwise', async () => {
    const gz = await fetch(`${stack.host.url}/api/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(`${stack.host.url}/api/docs/swagger-ui.css`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await plain.text()).length).toBeGreaterThan(10_000);
  });
});
