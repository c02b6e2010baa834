// Headless Chromium (Debian's /usr/bin/chromium through playwright-core) for the dashboard tests, the one place
// that says how a browser signs in, and the axe-core accessibility check injected into a page.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { principalHeader } from '../../../src/http/identity.js';
import { projectRoot, type TestStack } from '../../support/stack.js';

export const ADMIN_ROLE = 'DsvmPool.Admin';
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

/**
 * The one place test identities are made. Until the local host plays App Service authentication and the emulator
 * issues tokens (issue 15), requests carry the header the platform would inject; then this becomes
 * `authHeaders(stack, user, roles)` from test/support/identity.ts, and `signedIn` signs in through /.auth/login/aad.
 */
export function identityHeaders(_stack: TestStack, user: string, roles: string[] = []): Record<string, string> {
  return principalHeader(user, roles);
}

/** A browser context signed in as `user` (see identityHeaders). */
export async function signedIn(stack: TestStack, browser: Browser, user: string, roles: string[] = [], viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, extraHTTPHeaders: identityHeaders(stack, user, roles) });
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
