// Headless Chromium (Debian's /usr/bin/chromium through playwright-core) for the dashboard tests, the one place
// that says how their callers are made (an Entra token from the emulator for requests, a browser signed in through
// the host's App Service authentication for the page; both from test/support/identity.ts), and the axe-core
// accessibility check injected into a page.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_ROLE, authHeaders, signedInPage, USER_ROLE } from '../../support/identity.js';
import { projectRoot, type TestStack } from '../../support/stack.js';

export { ADMIN_ROLE, USER_ROLE };
/** Screenshots of test runs (gitignored). */
export const SCREENSHOTS = join(projectRoot, 'test-output', 'dashboard');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('needs Debian chromium: apt-get install -y chromium');
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Request headers that make `user` holding `role` the caller (an Entra access token minted by the stack's emulator). */
export async function identityHeaders(stack: TestStack, user: string, role: string = USER_ROLE): Promise<Record<string, string>> {
  return authHeaders(stack, user, [role]);
}

/**
 * The dashboard at `viewport` in a browser signed in as `user` holding `role`: through /.auth/login/aad and the
 * emulator's sign-in page with the session cookie, which the page's own requests then send. Close it with
 * `page.context().close()`.
 */
export async function dashboardPage(stack: TestStack, browser: Browser, user: string, role: string = USER_ROLE, viewport = { width: 1280, height: 900 }): Promise<Page> {
  // Signed in at a page without its own requests, so the dashboard loads once, at its viewport.
  const page = await signedInPage(browser, stack, user, role, '/api/health');
  await page.setViewportSize(viewport);
  await page.goto(`${stack.host.url}/api/ui`);
  return page;
}

/** Runs axe-core (pinned in package.json) in the page against WCAG 2 A/AA; returns the violations. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; nodes: number }[]> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.addScriptTag({ content: readFileSync(axePath, 'utf8') });
  // A string, so this Node-side file needs no DOM types; it runs in the page.
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
