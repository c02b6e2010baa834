// Who the caller is, through the local host against the emulator's Entra issuer: only a valid token for this app's
// audience and tenant, signed RS256 by a published key, within its lifetime in REAL time, names a caller; a forged
// x-ms-client-principal is ignored without platform authentication; app roles decide 403.
import fc from 'fast-check';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLE, authHeaders, USER_ROLE } from '../../support/identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ platformAuth: false });
});
afterAll(() => stack?.stop());

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.host.url}/api/${path}`, { headers });

/** A principal header claiming the admin role, as anyone can write one. */
const forgedAdmin = () => ({
  'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'preferred_username', val: 'mallory@example.com' }, { typ: 'roles', val: ADMIN_ROLE }] })).toString('base64'),
  'x-ms-client-principal-name': 'mallory@example.com',
});

async function expectProblem(r: Response, status: number, code: string, detail: RegExp): Promise<void> {
  const body = (await r.json()) as { code: string; detail: string; status: number };
  expect({ status: r.status, contentType: r.headers.get('content-type'), code: body.code }).toEqual({ status, contentType: 'application/problem+json', code });
  expect(body.detail).toMatch(detail);
}

describe('bearer tokens', () => {
  it('lets an admin token through to an admin route (200), and a user token to a user route', async () => {
    const put = await fetch(`${stack.host.url}/api/pools/who/policy`, {
      method: 'PUT',
      headers: { ...(await authHeaders(stack, 'root@example.com', [ADMIN_ROLE])), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'vmss', target: stack.emulator.compute.createScaleSet({ resourceGroup: 'rg-who', name: 'who' }) }),
    });
    expect(put.status).toBe(200);
    expect((await get('pools/who/policy', await authHeaders(stack, 'root@example.com', [ADMIN_ROLE]))).status).toBe(200);
    expect((await get('pools/who', await authHeaders(stack, 'alice@example.com'))).status).toBe(200);
  });

  it('answers 401 with WWW-Authenticate: Bearer when no credentials come', async () => {
    const r = await get('pools');
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    await expectProblem(r, 401, 'UNAUTHENTICATED', /no credentials.*Authorization: Bearer/);
  });

  it('ignores a forged x-ms-client-principal without platform authentication (401, and says why)', async () => {
    const r = await get('pools/who/policy', forgedAdmin());
    await expectProblem(r, 401, 'UNAUTHENTICATED', /x-ms-client-principal header was ignored: App Service authentication is not enabled/);
    // Beside a valid user token, the forged admin principal adds nothing: the token decides.
    const both = await get('pools/who/policy', { ...forgedAdmin(), ...(await authHeaders(stack, 'alice@example.com')) });
    await expectProblem(both, 403, 'FORBIDDEN', /"DsvmPool\.Admin"/);
  });

  it('answers 403 naming the admin role value for a user token on an admin route', async () => {
    const r = await get('pools/who/policy', await authHeaders(stack, 'alice@example.com', [USER_ROLE]));
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    await expectProblem(r, 403, 'FORBIDDEN', /needs the app role "DsvmPool\.Admin"; alice@example\.com does not hold it/);
  });

  it('answers 403 naming the user role for a valid token that holds no app role', async () => {
    const r = await get('pools', bearer(await stack.emulator.entra.tokenFor('nobody@example.com', [])));
    await expectProblem(r, 403, 'FORBIDDEN', /neither the app role "DsvmPool\.User" nor "DsvmPool\.Admin"/);
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    ['for another audience', () => stack.emulator.entra.tokenFor('alice@example.com', [ADMIN_ROLE], { audience: 'api://someone-else' }), /another audience; it must be one of api:\/\/dsvm-pool, 2222/],
    ['expired (beyond the 60 s skew)', () => stack.emulator.entra.tokenFor('alice@example.com', [ADMIN_ROLE], { lifetimeSeconds: -120 }), /has expired/],
    ['not yet valid (nbf beyond the skew)', () => stack.emulator.entra.tokenFor('alice@example.com', [ADMIN_ROLE], { notBeforeInSeconds: 600 }), /not valid yet/],
    ['from another issuer', () => stack.emulator.entra.tokenFor('alice@example.com', [ADMIN_ROLE], { claims: { iss: `https://login.microsoftonline.com/${stack.emulator.entra.tenantId}/v2.0` } }), /another issuer; it must be https:\/\/127\.0\.0\.1:\d+\/1111/],
    ['for another tenant', () => stack.emulator.entra.tokenFor('alice@example.com', [ADMIN_ROLE], { claims: { tid: '99999999-9999-4999-8999-999999999999' } }), /tenant \(tid\) is not 1111/],
    ['with a tampered signature', async () => tamper(await stack.emulator.entra.tokenFor('alice@example.com', [USER_ROLE])), /signature does not verify/],
    ['with a payload changed after signing', async () => {
      const [h, , s] = (await stack.emulator.entra.tokenFor('alice@example.com', [USER_ROLE])).split('.');
      return `${h}.${b64url({ ...(await claimsOf(stack, 'alice@example.com')), roles: [ADMIN_ROLE] })}.${s}`;
    }, /signature does not verify/],
    ['signed by a key the tenant does not publish, under its kid', async () => signWithForeignKey(stack.emulator.entra.jwks().keys[0]!.kid!), /signature does not verify/],
    ['signed by a key the tenant does not publish, under a new kid', () => signWithForeignKey('not-a-published-kid'), /key \(kid\) the tenant does not publish/],
    ['with alg none', async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(await claimsOf(stack, 'alice@example.com'))}.`, /not signed with RS256/],
    ['HS256 with the public key as the HMAC secret', async () => {
      const jwk = stack.emulator.entra.jwks().keys[0]!;
      const pem = await exportSPKI((await importJWK(jwk, 'RS256', { extractable: true })) as CryptoKey);
      return new SignJWT(await claimsOf(stack, 'alice@example.com')).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: jwk.kid }).sign(new TextEncoder().encode(pem));
    }, /not signed with RS256/],
    ['that is not a JWT', async () => 'abc.def', /not a well-formed signed JWT/],
  ];
  it.each(refused)('refuses a token %s with 401 invalid_token naming why', async (_what, token, detail) => {
    const r = await get('pools', bearer(await token()));
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="The bearer token was refused: /);
    await expectProblem(r, 401, 'TOKEN_INVALID', detail);
  });

  it('refuses another scheme and an empty bearer with 401 invalid_request', async () => {
    for (const authorization of ['Basic YWxpY2U6cHc=', 'Bearer', 'Bearer a b', 'bearer']) {
      const r = await get('pools', { authorization });
      expect(r.headers.get('www-authenticate'), authorization).toMatch(/^Bearer error="invalid_request"/);
      await expectProblem(r, 401, 'TOKEN_INVALID', /must be "Bearer <access token>"/);
    }
  });

  it('judges expiry by the wall clock, not the app simulated clock', async () => {
    const token = await stack.emulator.entra.tokenFor('alice@example.com', [USER_ROLE], { lifetimeSeconds: 300 });
    const within = await stack.emulator.entra.tokenFor('alice@example.com', [USER_ROLE], { lifetimeSeconds: -30 }); // inside the skew
    stack.emulator.clock.advance(10 * 3600_000); // the app now believes it is 10 hours later
    expect(stack.emulator.clock.now().getTime() - Date.now()).toBeGreaterThan(9 * 3600_000);
    expect((await get('pools', bearer(token))).status).toBe(200);
    expect((await get('pools', bearer(within))).status).toBe(200);
  });
});

describe('generated credentials over HTTP', () => {
  it('answers any Authorization and x-ms-client-principal with 401 problem+json, never 5xx', async () => {
    const printable = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,200}$/);
    const b64 = (a: fc.Arbitrary<string>) => a.map((s) => Buffer.from(s).toString('base64url'));
    const json = fc.jsonValue().map((v) => JSON.stringify(v));
    const header = b64(fc.oneof(json, fc.constant('{"alg":"none"}'), fc.constant('{"alg":"RS256","kid":"x"}'), fc.constant('{"alg":"HS256"}')));
    const authorization = fc.oneof(
      printable,
      fc.tuple(header, b64(json), fc.oneof(fc.constant(''), fc.base64String())).map(([h, p, sig]) => `Bearer ${h}.${p}.${sig.replace(/=+$/, '')}`),
      b64(json).map((t) => `Bearer ${t}`),
    );
    const principal = fc.oneof(printable, json.map((s) => Buffer.from(s).toString('base64')));
    await fc.assert(
      fc.asyncProperty(fc.option(authorization, { nil: undefined }), fc.option(principal, { nil: undefined }), async (auth, p) => {
        const headers: Record<string, string> = {};
        if (auth !== undefined) headers.authorization = auth;
        if (p !== undefined) headers['x-ms-client-principal'] = p;
        const r = await get('pools', headers);
        const body = (await r.json()) as { status: number; code: string; detail: string };
        expect(r.status, JSON.stringify({ headers, body })).toBe(401);
        expect(r.headers.get('content-type')).toBe('application/problem+json');
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(body.detail.length).toBeGreaterThan(20);
      }),
      { numRuns: 150 },
    );
  });
});

function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  const i = Math.floor(s!.length / 2);
  return `${h}.${p}.${s!.slice(0, i)}${s![i] === 'A' ? 'B' : 'A'}${s!.slice(i + 1)}`;
}

/** The claims of a real token for `user`, to re-sign or re-encode. */
async function claimsOf(s: TestStack, user: string): Promise<Record<string, unknown>> {
  const token = await s.emulator.entra.tokenFor(user, [ADMIN_ROLE]);
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function signWithForeignKey(kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(await claimsOf(stack, 'alice@example.com')).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey);
}
