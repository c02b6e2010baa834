// An app started "in Azure" (WEBSITE_SITE_NAME set) with neither App Service authentication nor Entra settings:
// a clear error at start-up, and every identified route refuses every caller with a 401 saying what is missing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authHeaders } from '../../support/identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
const errors: string[] = [];
beforeAll(async () => {
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
  try {
    stack = await startTestStack({
      platformAuth: false,
      env: { WEBSITE_SITE_NAME: 'dsvm-pool-api', DSVMPOOL_ENTRA_TENANT_ID: '', DSVMPOOL_ENTRA_AUDIENCE: '' },
    });
  } finally {
    spy.mockRestore();
  }
});
afterAll(async () => {
  await stack?.stop();
  delete process.env.WEBSITE_SITE_NAME;
});

describe('identity not configured in Azure', () => {
  it('logs identity.not-configured at start, naming both mechanisms', () => {
    const line = errors.find((e) => e.includes('identity.not-configured'));
    expect(line, errors.join('\n')).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', message: expect.stringMatching(/WEBSITE_AUTH_ENABLED.*DSVMPOOL_ENTRA_TENANT_ID \/ DSVMPOOL_ENTRA_AUDIENCE/) });
  });

  it('refuses even a well-signed token, saying the app is not set up for bearer tokens', async () => {
    const r = await fetch(`${stack.host.url}/api/pools`, { headers: await authHeaders(stack, 'alice@example.com') });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ code: 'TOKEN_INVALID', detail: expect.stringContaining('not set up to accept bearer tokens') });
  });
});
