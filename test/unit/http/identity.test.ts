// identify(): which credential decides, what each failure says, and that no input whatever makes it throw.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { platformOf } from '../../../src/config.js';
import { createBearerVerifier, type BearerVerifier } from '../../../src/http/bearer-token.js';
import { readClientPrincipal } from '../../../src/http/client-principal.js';
import { identify, identityStartupProblem, type IdentityOptions } from '../../../src/http/identity.js';
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
