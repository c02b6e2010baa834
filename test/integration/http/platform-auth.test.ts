// The local host as App Service authentication: a browser signs in through /.auth/login/aad and the emulator's
// sign-in page, the session reaches the app as x-ms-client-principal (WEBSITE_AUTH_ENABLED=true), client copies of
// that header are stripped, /.auth/me shows the session and /.auth/logout ends it.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLE, authHeaders, signedInPage, USER_ROLE } from '../../support/identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startTestStack();
  expect(existsSync('/usr/bin/chromium'), 'needs Debian chromium: apt-get install -y chromium').toBe(true);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const forged = (user: string, roles: string[]) => ({
  'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'preferred_username', val: user }, ...roles.map((r) => ({ typ: 'roles', val: r }))] })).toString('base64'),
  'x-ms-client-principal-name': user,
});

describe('App Service authentication on the local host', () => {
  it('strips a client-sent x-ms-client-principal: 401 alone, and beside a user token the token decides (403 on admin)', async () => {
    const alone = await fetch(`${stack.host.url}/api/pools`, { headers: forged('mallory@example.com', [ADMIN_ROLE]) });
    expect(alone.status).toBe(401);
    expect(await alone.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const withToken = await fetch(`${stack.host.url}/api/pools/any/policy`, { headers: { ...forged('mallory@example.com', [ADMIN_ROLE]), ...(await authHeaders(stack, 'alice@example.com')) } });
    expect(withToken.status).toBe(403);
  });

  it('answers /.auth/me with 401 without a session and refuses a foreign post-login redirect', async () => {
    expect((await fetch(`${stack.host.url}/.auth/me`)).status).toBe(401);
    const r = await fetch(`${stack.host.url}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const authorize = new URL(r.headers.get('location')!);
    expect(authorize.origin).toBe(stack.emulator.url);
    expect(authorize.pathname).toBe(`/${stack.emulator.entra.tenantId}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: stack.emulator.entra.clientId, response_type: 'id_token', response_mode: 'form_post' });
  });

  it('signs a browser in through the emulator sign-in page and reaches an authenticated page as that user', async () => {
    const page = await signedInPage(browser, stack, 'Bea@Example.com', USER_ROLE, '/api/pools?top=1');
    try {
      expect(page.url()).toBe(`${stack.host.url}/api/pools?top=1`);
      expect(JSON.parse((await page.textContent('body'))!)).toMatchObject({ items: expect.any(Array) });
      const me = await page.request.get(`${stack.host.url}/.auth/me`);
      expect(me.status()).toBe(200);
      const [session] = (await me.json()) as { provider_name: string; user_id: string; user_claims: { typ: string; val: string }[] }[];
      expect(session).toMatchObject({ provider_name: 'aad', user_id: 'Bea@Example.com' });
      expect(session!.user_claims).toEqual(expect.arrayContaining([{ typ: 'roles', val: USER_ROLE }, { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: stack.emulator.entra.objectIdOf('bea@example.com') }]));
      // The app sees the platform's principal: an admin route names the role Bea lacks and Bea by her sign-in name.
      const policy = await page.request.get(`${stack.host.url}/api/pools/any/policy`);
      expect(policy.status()).toBe(403);
      expect((await policy.json()).detail).toBe('This needs the app role "DsvmPool.Admin"; Bea@Example.com does not hold it.');
      await page.goto(`${stack.host.url}/.auth/logout`);
      expect(await page.textContent('body')).toContain('You have signed out');
      expect((await page.request.get(`${stack.host.url}/api/pools`)).status()).toBe(401);
    } finally {
      await page.context().close();
    }
  });

  it('signs an admin in and lets the browser read an admin route', async () => {
    const page = await signedInPage(browser, stack, 'root@example.com', ADMIN_ROLE, '/api/pools/nothing-here/policy');
    try {
      expect(JSON.parse((await page.textContent('body'))!)).toMatchObject({ code: 'POLICY_NOT_FOUND' }); // past the 403: an admin
    } finally {
      await page.context().close();
    }
  });
});
