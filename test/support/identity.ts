// Who a test request is: every integration test gets its caller here, as an Entra access token minted by the
// emulator's issuer and validated by the app exactly as in Azure. Switching how tests authenticate is this one file.
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../../src/local/emulator/index.js';

/** App role values (declared on the app registration in Azure). */
export const ADMIN_ROLE = 'DsvmPool.Admin';
export const USER_ROLE = 'DsvmPool.User';

const cache = new WeakMap<Emulator, Map<string, string>>();

/**
 * `{ authorization: 'Bearer …' }` for `user` holding `roles` (default: the ordinary user role), from the stack's
 * emulator. Tokens are cached per user and roles for the stack's life (they live an hour, in real time).
 */
export async function authHeaders(stack: { emulator: Emulator }, user: string, roles: readonly string[] = [USER_ROLE]): Promise<{ authorization: string }> {
  let tokens = cache.get(stack.emulator);
  if (!tokens) cache.set(stack.emulator, (tokens = new Map()));
  const key = `${user}\n${[...roles].sort().join(',')}`;
  let token = tokens.get(key);
  if (!token) tokens.set(key, (token = await stack.emulator.entra.tokenFor(user, roles)));
  return { authorization: `Bearer ${token}` };
}

/**
 * A browser page signed in through the host's App Service authentication (/.auth/login/aad → the emulator's
 * sign-in page → back with the session cookie), left at `path` (post_login_redirect_uri). The context accepts the
 * emulator's self-signed certificate, as a developer clicking through the warning would.
 */
export async function signedInPage(browser: Browser, stack: { host: { url: string } }, user: string, role: string | null = USER_ROLE, path = '/'): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${stack.host.url}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(path)}`);
  await page.fill('#user', user);
  await page.selectOption('#role', role ?? '');
  await Promise.all([page.waitForURL((u) => u.origin === new URL(stack.host.url).origin && !u.pathname.startsWith('/.auth/'), { timeout: 20_000 }), page.click('#sign-in')]);
  return page;
}
