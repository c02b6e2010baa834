// The tenant's key set read over HTTPS from an issuer whose certificate comes from an extra CA (the local emulator's):
// a real node:https server on 127.0.0.1 with a certificate made here, read with fetchTrusting and through the bearer
// verifier's remote JWKS (also as identityOptions makes it from the CA file the app's config names).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { createBearerVerifier } from '../../../src/http/bearer-token.js';
import { identityOptions } from '../../../src/http/identity.js';
import { fetchTrusting } from '../../../src/http/jwks-fetch.js';
import { createEmulatorCertificate } from '../../../src/local/emulator/certificate.js';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const TENANT = '11111111-1111-4111-8111-111111111111';

let server: Server;
let base: string;
let ca: string;
let otherCa: string;
let signingKey: SigningKey;
let publicJwk: JWK;
/** What the server answers next, by path. */
const answers = new Map<string, { status: number; body: string | Buffer; type?: string; cut?: boolean }>();
const seen: { path: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  const cert = await createEmulatorCertificate();
  ca = cert.cert;
  otherCa = (await createEmulatorCertificate()).cert;
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), alg: 'RS256', kid: 'k1', use: 'sig' };
  server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const a = answers.get(req.url ?? '') ?? { status: 404, body: '{}' };
    if (a.cut) {
      // Promise more than is sent, then drop the connection mid-body.
      res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(a.body.length + 100) });
      res.write(a.body, () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.writeHead(a.status, { 'content-type': a.type ?? 'application/json', 'x-answer': 'yes' });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = (path: string, ca_: string, maxBytes?: number, signal = new AbortController().signal) =>
  fetchTrusting(ca_, maxBytes)(`${base}${path}`, { headers: new Headers({ accept: 'application/json', 'user-agent': 'test' }), signal });

describe('fetchTrusting', () => {
  it('GETs the URL trusting the given CA, with the request headers, and answers status, headers and body', async () => {
    answers.set('/a', { status: 200, body: '{"keys":[]}' });
    const r = await get('/a', ca);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('x-answer')).toBe('yes');
    expect(await r.text()).toBe('{"keys":[]}');
    expect(seen.at(-1)).toMatchObject({ path: '/a', headers: { accept: 'application/json', 'user-agent': 'test' } });
  });

  it('passes the status of a failed answer on', async () => {
    answers.set('/down', { status: 503, body: 'busy' });
    const r = await get('/down', ca);
    expect(r.status).toBe(503);
    expect(await r.text()).toBe('busy');
  });

  it('rejects when the connection breaks mid-body', async () => {
    answers.set('/cut', { status: 200, body: '{"keys":[', cut: true });
    await expect(get('/cut', ca)).rejects.toThrow();
  });

  it('gives up when jose aborts the request (its timeout)', async () => {
    answers.set('/a', { status: 200, body: '{"keys":[]}' });
    const abort = new AbortController();
    abort.abort();
    await expect(get('/a', ca, undefined, abort.signal)).rejects.toThrow(/abort/i);
  });

  it('refuses a server whose certificate the CA did not issue', async () => {
    answers.set('/a', { status: 200, body: '{"keys":[]}' });
    await expect(get('/a', otherCa)).rejects.toThrow();
  });

  it('reads a key set of exactly maxBytes, and refuses one byte more', async () => {
    answers.set('/ten', { status: 200, body: Buffer.alloc(10, 'a') });
    expect(await (await get('/ten', ca, 10)).text()).toBe('aaaaaaaaaa');
    await expect(get('/ten', ca, 9)).rejects.toThrow(`the key set at ${base}/ten is larger than 9 bytes`);
  });

  it('reads 1 MiB by default and refuses more', async () => {
    answers.set('/mib', { status: 200, body: Buffer.alloc(1024 * 1024, 'a') });
    expect((await (await get('/mib', ca)).arrayBuffer()).byteLength).toBe(1024 * 1024);
    answers.set('/big', { status: 200, body: Buffer.alloc(1024 * 1024 + 1, 'a') });
    await expect(get('/big', ca)).rejects.toThrow('is larger than 1048576 bytes');
  });
});

describe('the verifier reading the tenant\'s remote keys', () => {
  const keysPath = `/${TENANT}/discovery/v2.0/keys`;
  const entra = () => ({ tenantId: TENANT, audiences: ['api://dsvm-pool'], authorityHost: base });
  const token = (kid: string) =>
    new SignJWT({ tid: TENANT, preferred_username: 'alice@example.com', roles: ['DsvmPool.User'] })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(`${base}/${TENANT}/v2.0`)
      .setAudience('api://dsvm-pool')
      .setExpirationTime('1h')
      .sign(signingKey);

  it('verifies a token against the key set at {authority}/{tenant}/discovery/v2.0/keys over the extra CA', async () => {
    answers.set(keysPath, { status: 200, body: JSON.stringify({ keys: [publicJwk] }) });
    const verify = createBearerVerifier(entra(), { ca });
    expect(await verify(await token('k1'))).toEqual({ ok: true, identity: { name: 'alice@example.com', oid: undefined, roles: ['DsvmPool.User'] } });
    expect(seen.at(-1)?.path).toBe(keysPath);
  });

  it('calls a kid the tenant does not publish invalid (the token\'s fault), not unavailable', async () => {
    answers.set(keysPath, { status: 200, body: JSON.stringify({ keys: [publicJwk] }) });
    const verify = createBearerVerifier(entra(), { ca });
    expect(await verify(await token('k9'))).toEqual({ ok: false, kind: 'invalid', reason: 'the token is signed with a key (kid) the tenant does not publish' });
  });

  it('calls a kid the key set publishes twice invalid too (jose does not pick one), not unavailable', async () => {
    const twin = { ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), alg: 'RS256', kid: 'k1', use: 'sig' };
    answers.set(keysPath, { status: 200, body: JSON.stringify({ keys: [twin, publicJwk] }) });
    const verify = createBearerVerifier(entra(), { ca });
    expect(await verify(await token('k1'))).toEqual({ ok: false, kind: 'invalid', reason: 'the token is signed with a key (kid) the tenant does not publish' });
  });

  it('calls a key set that cannot be read unavailable (the issuer\'s fault)', async () => {
    answers.set(keysPath, { status: 500, body: 'oops' });
    const verify = createBearerVerifier(entra(), { ca });
    expect(await verify(await token('k1'))).toEqual({ ok: false, kind: 'unavailable', reason: "the tenant's signing keys could not be read; try again shortly" });
  });

  it('calls an issuer whose certificate is not trusted unavailable', async () => {
    answers.set(keysPath, { status: 200, body: JSON.stringify({ keys: [publicJwk] }) });
    const verify = createBearerVerifier(entra(), { ca: otherCa });
    expect(await verify(await token('k1'))).toMatchObject({ ok: false, kind: 'unavailable' });
  });

  it("is made by identityOptions trusting the CA file of the app's config (DSVMPOOL_TLS_CA_FILE)", async () => {
    answers.set(keysPath, { status: 200, body: JSON.stringify({ keys: [publicJwk] }) });
    const dir = mkdtempSync(join(tmpdir(), 'jwks-ca-'));
    try {
      const tlsCaFile = join(dir, 'ca.pem');
      writeFileSync(tlsCaFile, ca);
      const config = { entra: entra(), tlsCaFile, adminRole: 'DsvmPool.Admin', platform: { authEnabled: false, inAzure: false } } as Config;
      const verify = identityOptions(config).verifier!;
      expect(await verify(await token('k1'))).toEqual({ ok: true, identity: { name: 'alice@example.com', oid: undefined, roles: ['DsvmPool.User'] } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
