// The bearer-token verifier against a key set made here (jose's local JWKS: the narrow seam in place of the tenant's
// remote keys): what Entra ID's v2.0 access tokens must carry, each refusal's reason, and the 60-second clock skew
// at its edge, on a pinned wall clock.
import { CompactSign, createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBearerVerifier, identityOf, issuerOf, jwksUriOf, type BearerVerifier } from '../../../src/http/bearer-token.js';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const entra = { tenantId: '11111111-1111-4111-8111-111111111111', audiences: ['api://dsvm-pool', 'c0ffee00-0000-4000-8000-000000000000'], authorityHost: 'https://login.example' };
const ISSUER = 'https://login.example/11111111-1111-4111-8111-111111111111/v2.0';
const NOW_S = 1_800_000_000;
const now = () => new Date(NOW_S * 1000);

let privateKey: SigningKey;
let otherKey: SigningKey;
let verify: BearerVerifier;
let localKeys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  localKeys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), alg: 'RS256', kid: 'k1' }] });
  verify = createBearerVerifier(entra, { keys: localKeys, now });
});

const user: JWTPayload = { tid: entra.tenantId, preferred_username: 'Alice@Example.com', oid: 'a11ce', roles: ['DsvmPool.User'], scp: 'access_as_user' };

/** A token as Entra would sign it, valid for an hour around NOW, with `claims` replacing or adding claims. */
async function token(claims: JWTPayload = {}, o: { kid?: string; key?: SigningKey; aud?: string; iss?: string } = {}): Promise<string> {
  return new SignJWT({ iss: o.iss ?? ISSUER, aud: o.aud ?? 'api://dsvm-pool', iat: NOW_S - 60, nbf: NOW_S - 60, exp: NOW_S + 3600, ...user, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'k1', typ: 'JWT' })
    .sign(o.key ?? privateKey);
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('Entra URLs', () => {
  it('builds the issuer and the JWKS URI of the tenant', () => {
    expect(issuerOf(entra)).toBe(ISSUER);
    expect(jwksUriOf(entra)).toBe('https://login.example/11111111-1111-4111-8111-111111111111/discovery/v2.0/keys');
  });
});

describe('bearer token verifier', () => {
  it('accepts a valid user token, for either audience', async () => {
    const identity = { name: 'Alice@Example.com', oid: 'a11ce', roles: ['DsvmPool.User'] };
    expect(await verify(await token())).toEqual({ ok: true, identity });
    expect(await verify(await token({}, { aud: 'c0ffee00-0000-4000-8000-000000000000' }))).toEqual({ ok: true, identity });
  });

  it.each([
    // exp is the first second the token is no longer valid (RFC 7519 §4.1.4), so 60 s of skew ends one second earlier.
    ['expired 59 s ago', { exp: NOW_S - 59 }, true],
    ['expired 60 s ago', { exp: NOW_S - 60 }, false],
    ['valid from 60 s ahead', { nbf: NOW_S + 60 }, true],
    ['valid from 61 s ahead', { nbf: NOW_S + 61 }, false],
  ])('allows 60 s of clock skew: a token %s is accepted: %s', async (_what, claims, ok) => {
    expect((await verify(await token(claims))).ok).toBe(ok);
  });

  it.each([
    ['expired', { exp: NOW_S - 3600 }, {}, 'the token has expired; get a new one'],
    ['not valid yet', { nbf: NOW_S + 3600 }, {}, 'the token is not valid yet (nbf is in the future)'],
    ['for another audience', {}, { aud: 'api://other' }, 'the token is for another audience; it must be one of api://dsvm-pool, c0ffee00-0000-4000-8000-000000000000'],
    ['from another issuer', {}, { iss: 'https://login.example/22222222-2222-4222-8222-222222222222/v2.0' }, `the token was issued by another issuer; it must be ${ISSUER}`],
    ['from the v1.0 issuer', {}, { iss: 'https://sts.windows.net/11111111-1111-4111-8111-111111111111/' }, `the token was issued by another issuer; it must be ${ISSUER}`],
    ['without tid', { tid: undefined }, {}, 'the token\'s "tid" claim is missing or wrong'],
    ['without exp', { exp: undefined }, {}, 'the token\'s "exp" claim is missing or wrong'],
    ['of another tenant (tid)', { tid: '22222222-2222-4222-8222-222222222222' }, {}, "the token's tenant (tid) is not 11111111-1111-4111-8111-111111111111"],
    ['signed with a key the tenant does not publish (kid)', {}, { kid: 'k2' }, 'the token is signed with a key (kid) the tenant does not publish'],
    ['signed by another key under the published kid', {}, { otherKey: true }, "the token's signature does not verify against the tenant's keys"],
  ] as const)('refuses a token %s', async (_what, claims, o: { aud?: string; iss?: string; kid?: string; otherKey?: boolean }, reason) => {
    const t = await token(claims as JWTPayload, { ...o, key: o.otherKey ? otherKey : undefined });
    expect(await verify(t)).toEqual({ ok: false, kind: 'invalid', reason });
  });

  it('refuses alg "none" and HS256 signed with the public key as secret', async () => {
    const payload = b64url({ iss: ISSUER, aud: 'api://dsvm-pool', exp: NOW_S + 3600, ...user });
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const reason = 'the token is not signed with RS256, the algorithm Entra ID uses';
    expect(await verify(none)).toEqual({ ok: false, kind: 'invalid', reason });
    const hs256 = await new SignJWT({ iss: ISSUER, aud: 'api://dsvm-pool', exp: NOW_S + 3600, ...user })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('the public key, as a shared secret'));
    expect(await verify(hs256)).toEqual({ ok: false, kind: 'invalid', reason });
  });

  it('refuses what is not a signed JWT, saying so', async () => {
    const reason = 'the token is not a well-formed signed JWT (three base64url parts: header.payload.signature)';
    expect(await verify('abc')).toEqual({ ok: false, kind: 'invalid', reason });
    expect(await verify('a.b.c')).toEqual({ ok: false, kind: 'invalid', reason });
    const notClaims = await new CompactSign(new TextEncoder().encode('not JSON')).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
    expect(await verify(notClaims)).toEqual({ ok: false, kind: 'invalid', reason });
  });

  it('calls a failure without a jose code unreadable (a key resolver that breaks)', async () => {
    const broken = createBearerVerifier(entra, { keys: async () => { throw new TypeError('resolver broke'); }, now });
    expect(await broken(await token())).toEqual({ ok: false, kind: 'invalid', reason: 'the token could not be read as a signed JWT' });
  });

  it('reads tokens up to 16,384 characters and refuses longer ones before parsing', async () => {
    expect(await verify('A'.repeat(16_384))).toEqual({ ok: false, kind: 'invalid', reason: 'the token is not a well-formed signed JWT (three base64url parts: header.payload.signature)' });
    expect(await verify('A'.repeat(16_385))).toEqual({ ok: false, kind: 'invalid', reason: 'the token is longer than 16384 characters' });
    // A real token is read whole at the limit: pad its claims until it has 16,380-16,384 characters.
    let t = await token();
    for (let n = Math.floor(((16_384 - t.length) * 3) / 4) - 40; t.length < 16_384 - 4; n++) t = await token({ pad: 'x'.repeat(n) });
    expect(t.length).toBeGreaterThanOrEqual(16_380);
    expect(t.length).toBeLessThanOrEqual(16_384);
    expect((await verify(t)).ok).toBe(true);
  });

  it('reads the current time from the wall clock it was given, at each call', async () => {
    let t = NOW_S;
    const v = createBearerVerifier(entra, { keys: localKeys, now: () => new Date(t * 1000) });
    const tok = await token({ exp: NOW_S + 100 });
    expect((await v(tok)).ok).toBe(true);
    t = NOW_S + 160;
    expect(await v(tok)).toEqual({ ok: false, kind: 'invalid', reason: 'the token has expired; get a new one' });
  });
});

describe('identityOf (the claims of a verified token)', () => {
  it.each([
    ['preferred_username', { preferred_username: 'alice@example.com' }, 'alice@example.com'],
    ['upn when there is no preferred_username', { upn: 'bob@example.com' }, 'bob@example.com'],
    ['unique_name last', { unique_name: 'carol@example.com' }, 'carol@example.com'],
    ['the first non-blank name, trimmed', { preferred_username: '  ', upn: ' dan@example.com ' }, 'dan@example.com'],
    ['preferred_username over upn', { preferred_username: 'p@example.com', upn: 'u@example.com' }, 'p@example.com'],
    ['an app-only token (azp, no scp)', { azp: 'c1i3nt' }, 'app:c1i3nt'],
    ['an app-only v1.0 token (appid, no scp)', { appid: 'v1app' }, 'app:v1app'],
    ['azp over appid', { azp: 'a', appid: 'b' }, 'app:a'],
    ['appid when azp is empty', { azp: '', appid: 'b' }, 'app:b'],
    ['a user name over azp', { upn: 'eve@example.com', azp: 'c1i3nt' }, 'eve@example.com'],
  ])('names the subject by %s', (_what, claims, name) => {
    expect(identityOf(claims)).toEqual({ ok: true, identity: { name, oid: undefined, roles: [] } });
  });

  it('keeps oid and roles', () => {
    expect(identityOf({ upn: 'a@b', oid: 'o1', roles: ['DsvmPool.Admin', 'DsvmPool.User'] })).toEqual({ ok: true, identity: { name: 'a@b', oid: 'o1', roles: ['DsvmPool.Admin', 'DsvmPool.User'] } });
    expect(identityOf({ upn: 'a@b', oid: 7 })).toEqual({ ok: true, identity: { name: 'a@b', oid: undefined, roles: [] } });
  });

  it.each([
    ['a delegated token without a user name (scp set)', { azp: 'c1i3nt', scp: 'access_as_user' }],
    ['an empty azp', { azp: '' }],
    ['a numeric azp', { azp: 5 }],
    ['a numeric user name', { preferred_username: 5 }],
    ['blank user names only', { preferred_username: ' ', upn: '' }],
    ['nothing', {}],
  ])('refuses %s: it names no one', (_what, claims) => {
    expect(identityOf(claims)).toEqual({ ok: false, kind: 'invalid', reason: 'the token names no user (preferred_username or upn) and is not an application token (azp)' });
  });

  it.each([
    ['a string', 'DsvmPool.User'],
    ['a list with a number', ['DsvmPool.User', 1]],
    ['an object', { 0: 'DsvmPool.User' }],
  ])('refuses roles that are %s', (_what, roles) => {
    expect(identityOf({ upn: 'a@b', roles })).toEqual({ ok: false, kind: 'invalid', reason: 'the "roles" claim is not a list of strings' });
  });
});
