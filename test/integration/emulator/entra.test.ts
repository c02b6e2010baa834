// The emulator as Entra ID's token issuer: OpenID configuration and JWKS at Entra's paths, tokens shaped like Entra
// v2.0 access tokens (Learn "Access token claims reference"), stamped with real time whatever the simulated clock says.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_API_CLIENT_ID, EMULATOR_TENANT_ID, startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { emulatorFetch } from './emulator-clients.js';

let emulator: Emulator;
beforeAll(async () => {
  // A simulated clock far from now: tokens must still carry real times.
  emulator = await startEmulator({ port: 0, clock: { start: new Date('2020-01-01T00:00:00Z') } });
});
afterAll(() => emulator?.stop());

const get = (path: string) => emulatorFetch(emulator, path, { token: null });

describe('Entra issuer on the emulator', () => {
  it('serves the tenant OpenID configuration and JWKS at Entra paths, without a bearer token', async () => {
    const config = await get(`/${EMULATOR_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(config.status).toBe(200);
    const body = config.body as Record<string, unknown>;
    expect(body.issuer).toBe(`${emulator.url}/${EMULATOR_TENANT_ID}/v2.0`);
    expect(body.jwks_uri).toBe(`${emulator.url}/${EMULATOR_TENANT_ID}/discovery/v2.0/keys`);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
    const keys = await get(`/${EMULATOR_TENANT_ID}/discovery/v2.0/keys`);
    expect(keys.status).toBe(200);
    const [key] = (keys.body as { keys: Record<string, string>[] }).keys;
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
    expect(key!.kid).toMatch(/^[\w-]{20,}$/);
    expect(key).not.toHaveProperty('d'); // never the private part
  });

  it('mints a v2.0-shaped access token for a user and roles over POST /_emulator/entra/token', async () => {
    const r = await emulatorFetch(emulator, '/_emulator/entra/token', { method: 'POST', token: null, body: { user: 'alice.smith@example.com', roles: ['DsvmPool.Admin'] } });
    expect(r.status).toBe(200);
    const issued = r.body as { access_token: string; token_type: string; expires_in: number };
    expect(issued.token_type).toBe('Bearer');
    expect(issued.expires_in).toBe(3600);
    expect(decodeProtectedHeader(issued.access_token)).toMatchObject({ typ: 'JWT', alg: 'RS256', kid: emulator.entra.jwks().keys[0]!.kid });
    const { payload } = await jwtVerify(issued.access_token, createLocalJWKSet(emulator.entra.jwks()), {
      issuer: `${emulator.url}/${EMULATOR_TENANT_ID}/v2.0`,
      audience: EMULATOR_API_CLIENT_ID,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({
      ver: '2.0',
      tid: EMULATOR_TENANT_ID,
      preferred_username: 'alice.smith@example.com',
      name: 'Alice Smith',
      roles: ['DsvmPool.Admin'],
      oid: emulator.entra.objectIdOf('alice.smith@example.com'),
    });
    expect(payload.oid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const now = Date.now() / 1000;
    expect(Math.abs(payload.iat! - now)).toBeLessThan(30); // real time, not the simulated 2020
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('leaves out the roles claim for a user without roles, as Entra does', async () => {
    const token = await emulator.entra.tokenFor('bob@example.com');
    const { payload } = await jwtVerify(token, createLocalJWKSet(emulator.entra.jwks()), { audience: EMULATOR_API_CLIENT_ID });
    expect(payload).not.toHaveProperty('roles');
    expect(payload.oid).toBe(emulator.entra.objectIdOf('BOB@example.com'));
  });

  it.each([
    [{}, '"user"'],
    [{ user: 'two words' }, '"user"'],
    [{ user: 'a@b.c', roles: 'DsvmPool.Admin' }, '"roles"'],
    [{ user: 'a@b.c', roles: [7] }, '"roles"'],
    [{ user: 'a@b.c', lifetimeSeconds: 1.5 }, '"lifetimeSeconds"'],
  ])('refuses a bad token request %j with 400 naming %s', async (body, field) => {
    const r = await emulatorFetch(emulator, '/_emulator/entra/token', { method: 'POST', token: null, body });
    expect(r.status).toBe(400);
    expect((r.body as { error: { message: string } }).error.message).toContain(field);
  });

  it('is never faulted by a catch-all fault rule', async () => {
    const id = emulator.faults.add({ operation: '*', kind: 'status', status: 503 });
    try {
      expect((await get(`/${EMULATOR_TENANT_ID}/discovery/v2.0/keys`)).status).toBe(200);
    } finally {
      emulator.faults.remove(id);
    }
  });
});
