// identify(): which credential decides, what each failure says, and that no input whatever makes it throw.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { platformOf, type Config } from '../../../src/config.js';
import { createBearerVerifier, type BearerVerifier } from '../../../src/http/bearer-token.js';
import { readClientPrincipal } from '../../../src/http/client-principal.js';
import { identify, identityOptions, identityStartupProblem, type IdentityOptions } from '../../../src/http/identity.js';
import { identityProblem } from '../../../src/http/identity-problem.js';

const entra = { tenantId: '11111111-1111-4111-8111-111111111111', audiences: ['api://dsvm-pool'], authorityHost: 'https://login.example' };
const headers = (h: Record<string, string>) => new Headers(h);
const principal = (p: unknown) => Buffer.from(typeof p === 'string' ? p : JSON.stringify(p)).toString('base64');
const alice = { claims: [{ typ: 'preferred_username', val: 'Alice@Example.com' }, { typ: 'roles', val: 'DsvmPool.User' }] };
const acceptAll: BearerVerifier = async () => ({ ok: true, identity: { name: 'bob@example.com', oid: 'b0b', roles: ['DsvmPool.Admin'] } });
const options = (o: Partial<IdentityOptions> = {}): IdentityOptions => ({ verifier: acceptAll, platformAuth: false, adminRole: 'DsvmPool.Admin', ...o });

describe('readClientPrincipal', () => {
  it('reads the documented shape: sign-in name, object id and roles (lower-cased later)', () => {
    const r = readClientPrincipal(headers({
      'x-ms-client-principal': principal({ auth_typ: 'aad', name_typ: 'name', role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', claims: [
        { typ: 'name', val: 'Alice Smith' },
        { typ: 'preferred_username', val: 'alice@example.com' },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'a11ce' },
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'DsvmPool.Admin' },
        { typ: 'roles', val: 'DsvmPool.User' },
      ] }),
    }));
    expect(r).toEqual({ ok: true, principal: { name: 'alice@example.com', id: 'a11ce', roles: ['DsvmPool.Admin', 'DsvmPool.User'] } });
  });

  it('falls back to x-ms-client-principal-name and -id', () => {
    const r = readClientPrincipal(headers({ 'x-ms-client-principal': principal({ claims: [] }), 'x-ms-client-principal-name': 'carol@example.com', 'x-ms-client-principal-id': 'c4r0l' }));
    expect(r).toEqual({ ok: true, principal: { name: 'carol@example.com', id: 'c4r0l', roles: [] } });
  });

  it.each([
    ['base64 of null', principal('null'), /not a JSON object/],
    ['claims that is not a list', principal({ claims: { typ: 'roles' } }), /no "claims" list/],
    ['a null claim', principal({ claims: [null] }), /claim that is not/],
    ['a claim value that is a number', principal({ claims: [{ typ: 'preferred_username', val: 7 }] }), /claim that is not/],
    ['a name_typ that is not a string', principal({ name_typ: 5, claims: [] }), /"name_typ" that is not a string/],
    ['no name at all', principal({ claims: [{ typ: 'roles', val: 'DsvmPool.User' }] }), /names no user/],
    ['not base64', '%%%', /is not base64/],
    ['base64 that is not JSON', Buffer.from('{nope').toString('base64'), /not base64-encoded JSON/],
  ])('names what is wrong with %s', (_what, value, reason) => {
    const r = readClientPrincipal(headers({ 'x-ms-client-principal': value }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
});

describe('identify', () => {
  it('trusts x-ms-client-principal only with platform authentication on', async () => {
    const h = headers({ 'x-ms-client-principal': principal(alice) });
    expect(await identify(h, options({ platformAuth: true }))).toEqual({ ok: true, caller: { user: 'alice@example.com', id: undefined, roles: ['DsvmPool.User'], isAdmin: false } });
    const off = await identify(h, options({ platformAuth: false }));
    expect(off).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('was ignored') } });
  });

  it('takes the platform principal over a bearer token when platform authentication is on (the platform checked it)', async () => {
    const r = await identify(headers({ 'x-ms-client-principal': principal(alice), authorization: 'Bearer abc' }), options({ platformAuth: true }));
    expect(r.ok && r.caller.user).toBe('alice@example.com');
  });

  it('refuses every bearer token when the app has no Entra settings', async () => {
    const r = await identify(headers({ authorization: 'Bearer abc.def.ghi' }), options({ verifier: undefined }));
    expect(r).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID', message: expect.stringContaining('DSVMPOOL_ENTRA_TENANT_ID') } });
  });

  it('maps an unreachable key set to 503 with Retry-After, and a refused token to 401', async () => {
    const down: BearerVerifier = async () => ({ ok: false, kind: 'unavailable', reason: 'keys unreachable' });
    const r = await identify(headers({ authorization: 'Bearer abc' }), options({ verifier: down }));
    expect(r.ok).toBe(false);
    const response = identityProblem((r as { error: Parameters<typeof identityProblem>[0] }).error);
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '10', 'content-type': 'application/problem+json' });
  });

  it('calls an unreachable JWKS endpoint unavailable, and a garbage token invalid', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const verifier = createBearerVerifier({ ...entra, authorityHost: `https://127.0.0.1:${port}` });
    const { privateKey } = await generateKeyPair('RS256');
    const wellFormed = await new SignJWT({ tid: entra.tenantId }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(`${entra.authorityHost}/${entra.tenantId}/v2.0`).setAudience('api://dsvm-pool').setExpirationTime('1h').sign(privateKey);
    expect(await verifier(wellFormed)).toMatchObject({ ok: false, kind: 'unavailable' });
    expect(await verifier('garbage')).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('names an app-only token (no user name, no scp) app:{azp}', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', kid: 'k' }] });
    const verifier = createBearerVerifier(entra, { keys });
    const token = await new SignJWT({ tid: entra.tenantId, azp: 'c1i3nt', oid: 'sp', roles: ['DsvmPool.User'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(`${entra.authorityHost}/${entra.tenantId}/v2.0`).setAudience('api://dsvm-pool').setIssuedAt().setExpirationTime('1h').sign(privateKey);
    expect(await verifier(token)).toEqual({ ok: true, identity: { name: 'app:c1i3nt', oid: 'sp', roles: ['DsvmPool.User'] } });
  });

  it('never throws and always gives a 401 problem+json for generated Authorization and x-ms-client-principal values', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const verifier = createBearerVerifier(entra, { keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', kid: 'k' }] }) });
    const jsonish = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('null'),
      fc.record({ claims: fc.oneof(fc.constant(null), fc.array(fc.oneof(fc.constant(null), fc.record({ typ: fc.oneof(fc.string(), fc.integer()), val: fc.oneof(fc.string(), fc.constant(null)) })))) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)));
    const principalValue = fc.oneof(fc.string(), jsonish.map((s) => Buffer.from(s).toString('base64')));
    const segment = fc.oneof(fc.string(), fc.base64String(), jsonish.map((s) => Buffer.from(s).toString('base64url')));
    const authorization = fc.oneof(fc.string(), segment.map((s) => `Bearer ${s}`), fc.tuple(segment, segment, segment).map((p) => `Bearer ${p.join('.')}`));
    await fc.assert(
      fc.asyncProperty(fc.option(authorization), fc.option(principalValue), fc.boolean(), async (auth, p, platformAuth) => {
        const h = new Map<string, string>();
        if (auth !== null) h.set('authorization', auth);
        if (p !== null) h.set('x-ms-client-principal', p);
        const r = await identify({ get: (n) => h.get(n) ?? null }, { verifier, platformAuth, adminRole: 'DsvmPool.Admin' });
        if (r.ok) {
          // Only a platform principal that happens to be well-formed can pass, and only with platform auth on.
          expect(platformAuth && p !== null).toBe(true);
          return;
        }
        const response = identityProblem(r.error);
        expect([401, 403]).toContain(response.status);
        expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json' });
        if (response.status === 401) expect((response.headers as Record<string, string>)['www-authenticate']).toMatch(/^Bearer/);
      }),
      { numRuns: 400 },
    );
  });
});

describe('start-up check', () => {
  it.each([
    [{ WEBSITE_SITE_NAME: 'dsvm-pool-api' }, undefined, true],
    [{ WEBSITE_INSTANCE_ID: 'abc' }, undefined, true],
    [{ WEBSITE_SITE_NAME: 'dsvm-pool-api', WEBSITE_AUTH_ENABLED: 'True' }, undefined, false],
    [{ WEBSITE_SITE_NAME: 'dsvm-pool-api' }, entra, false],
    [{}, undefined, false],
  ])('env %j with entra %j → error %s', (env, e, expected) => {
    const problem = identityStartupProblem({ entra: e, platform: platformOf(env) });
    expect(problem !== undefined).toBe(expected);
    if (problem) expect(problem).toMatch(/WEBSITE_AUTH_ENABLED.*DSVMPOOL_ENTRA_TENANT_ID/);
  });

  it('reads WEBSITE_AUTH_ENABLED case-insensitively and only "true" as on', () => {
    expect(['true', 'True', 'TRUE', ' true '].map((v) => platformOf({ WEBSITE_AUTH_ENABLED: v }).authEnabled)).toEqual([true, true, true, true]);
    expect(['false', '1', 'yes', ''].map((v) => platformOf({ WEBSITE_AUTH_ENABLED: v }).authEnabled)).toEqual([false, false, false, false]);
  });
});

describe('identify: each credential and each refusal, word for word', () => {
  const recording = () => {
    const tokens: string[] = [];
    const verifier: BearerVerifier = async (t) => {
      tokens.push(t);
      return { ok: true, identity: { name: 'Bob@Example.com', oid: 'b0b', roles: ['DsvmPool.User'] } };
    };
    return { tokens, verifier };
  };

  it.each([
    ['Bearer abc.DEF-_~+/=', 'abc.DEF-_~+/='],
    ['bearer abc', 'abc'],
    ['BEARER\tabc', 'abc'],
    ['  Bearer   abc==  ', 'abc=='],
  ])('reads the token of %j', async (authorization, token) => {
    const { tokens, verifier } = recording();
    const r = await identify(headers({ authorization }), options({ verifier }));
    expect(tokens).toEqual([token]);
    expect(r).toEqual({ ok: true, caller: { user: 'bob@example.com', id: 'b0b', roles: ['DsvmPool.User'], isAdmin: false } });
  });

  it.each([
    ['Basic YWxpY2U6c2VjcmV0', 'it has the "Basic" scheme'],
    ['Bearer', 'it has no token after "Bearer"'],
    ['Bearer ', 'it has no token after "Bearer"'],
    ['Bearer a b', 'it has no token after "Bearer"'],
    ['Bearer a=b', 'it has no token after "Bearer"'],
    ['Bearerabc', 'it has the "Bearerabc" scheme'],
    ['', 'it has no token after "Bearer"'],
    ['!!', 'it has no token after "Bearer"'],
    ['Abcdefghijklmnopqrstuvwxyz x', 'it has the "Abcdefghijklmnopqrst" scheme'],
    ['Token Bearer abc', 'it has the "Token" scheme'],
    ['NotBearer abc', 'it has the "NotBearer" scheme'],
    ['BEARER', 'it has no token after "Bearer"'],
    ['  Basic abc', 'it has the "Basic" scheme'],
    ['!Basic abc', 'it has no token after "Bearer"'],
  ])('refuses the Authorization header %j as an invalid request: %s', async (authorization, got) => {
    const { tokens, verifier } = recording();
    const r = await identify(headers({ authorization }), options({ verifier }));
    expect(tokens).toEqual([]);
    expect(r).toEqual({ ok: false, error: { code: 'TOKEN_INVALID', message: `The Authorization header must be "Bearer <access token>"; ${got}.`, bearerError: 'invalid_request' } });
  });

  it('passes the verifier\'s reason on: refused → TOKEN_INVALID invalid_token, unavailable → ISSUER_UNAVAILABLE', async () => {
    const refused: BearerVerifier = async () => ({ ok: false, kind: 'invalid', reason: 'the token has expired; get a new one' });
    expect(await identify(headers({ authorization: 'Bearer x' }), options({ verifier: refused }))).toEqual({
      ok: false,
      error: { code: 'TOKEN_INVALID', message: 'The bearer token was refused: the token has expired; get a new one.', bearerError: 'invalid_token' },
    });
    const down: BearerVerifier = async () => ({ ok: false, kind: 'unavailable', reason: 'keys unreachable' });
    expect(await identify(headers({ authorization: 'Bearer x' }), options({ verifier: down }))).toEqual({
      ok: false,
      error: { code: 'ISSUER_UNAVAILABLE', message: 'The bearer token cannot be checked now: keys unreachable.' },
    });
  });

  it('says exactly what is missing without Entra settings', async () => {
    expect(await identify(headers({ authorization: 'Bearer x' }), options({ verifier: undefined }))).toEqual({
      ok: false,
      error: { code: 'TOKEN_INVALID', message: 'This app is not set up to accept bearer tokens: DSVMPOOL_ENTRA_TENANT_ID and DSVMPOOL_ENTRA_AUDIENCE are not set.', bearerError: 'invalid_token' },
    });
  });

  it('answers a request without credentials UNAUTHENTICATED, mentioning an ignored principal only when one came', async () => {
    const how = 'Send "Authorization: Bearer <Entra access token>" (README, Security) or sign in at /.auth/login/aad in a browser.';
    expect(await identify(headers({}), options())).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: `The request carries no credentials. ${how}` } });
    expect(await identify(headers({ 'x-ms-client-principal': principal(alice) }), options({ platformAuth: false }))).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: `The request carries no credentials. The x-ms-client-principal header was ignored: App Service authentication is not enabled for this app, so anyone could have written it. ${how}` },
    });
  });

  it('uses the bearer token when platform authentication is on but no principal came', async () => {
    const { tokens, verifier } = recording();
    const r = await identify(headers({ authorization: 'Bearer t0k' }), options({ verifier, platformAuth: true }));
    expect(tokens).toEqual(['t0k']);
    expect(r.ok && r.caller.user).toBe('bob@example.com');
  });

  it('refuses an unreadable platform principal with its reason', async () => {
    expect(await identify(headers({ 'x-ms-client-principal': principal({ claims: 'no' }) }), options({ platformAuth: true }))).toEqual({
      ok: false,
      error: { code: 'PRINCIPAL_INVALID', message: 'the x-ms-client-principal header has no "claims" list.' },
    });
  });

  const withRoles = (roles: string[]): BearerVerifier => async () => ({ ok: true, identity: { name: 'Carol@Example.com', roles } });

  it.each([
    [['DsvmPool.User'], 'user', { ok: true, isAdmin: false }],
    [['DsvmPool.Admin'], 'user', { ok: true, isAdmin: true }],
    [['DsvmPool.Admin'], 'admin', { ok: true, isAdmin: true }],
    [['DsvmPool.User', 'DsvmPool.Admin'], 'admin', { ok: true, isAdmin: true }],
  ] as const)('lets roles %j in where %s is needed', async (roles, need, expected) => {
    const r = await identify(headers({ authorization: 'Bearer x' }), options({ verifier: withRoles([...roles]) }), need);
    expect(r).toEqual({ ok: expected.ok, caller: { user: 'carol@example.com', id: undefined, roles, isAdmin: expected.isAdmin } });
  });

  it('refuses a caller without an app role, and a user where an admin is needed, naming the roles', async () => {
    expect(await identify(headers({ authorization: 'Bearer x' }), options({ verifier: withRoles(['Other', 'dsvmpool.user']) }))).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Carol@Example.com holds neither the app role "DsvmPool.User" nor "DsvmPool.Admin"; an admin can assign one in Entra ID (Enterprise applications → dsvm-pool → Users and groups).' },
    });
    expect(await identify(headers({ authorization: 'Bearer x' }), options({ verifier: withRoles(['DsvmPool.User']) }), 'admin')).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This needs the app role "DsvmPool.Admin"; Carol@Example.com does not hold it.' },
    });
  });

  it('uses the configured admin role', async () => {
    const r = await identify(headers({ authorization: 'Bearer x' }), options({ verifier: withRoles(['Pool.Owner']), adminRole: 'Pool.Owner' }), 'admin');
    expect(r.ok && r.caller.isAdmin).toBe(true);
  });
});

describe('identityOptions', () => {
  const cfg = (c: Partial<Config>) => ({ entra: undefined, tlsCaFile: undefined, adminRole: 'DsvmPool.Admin', platform: { authEnabled: false, inAzure: false }, ...c }) as Config;

  it('has no verifier without Entra settings, and passes platform authentication and the admin role on', () => {
    expect(identityOptions(cfg({ adminRole: 'X.Admin', platform: { authEnabled: true, inAzure: true } }))).toEqual({ verifier: undefined, platformAuth: true, adminRole: 'X.Admin' });
  });

  it('makes the verifier once per Entra settings (so the fetched key set is kept), and anew when they change', () => {
    const a = identityOptions(cfg({ entra })).verifier;
    expect(a).toBeTypeOf('function');
    expect(identityOptions(cfg({ entra: { ...entra } })).verifier).toBe(a);
    const b = identityOptions(cfg({ entra: { ...entra, audiences: ['api://other'] } })).verifier;
    expect(b).not.toBe(a);
    expect(identityOptions(cfg({ entra: { ...entra, audiences: ['api://other'] } })).verifier).toBe(b);
  });
});
