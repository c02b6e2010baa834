// What identifying a caller costs per request, side by side in one run: a bearer token validated against the
// emulator's tenant (RS256 signature, claims; keys cached after the first fetch) vs. reading the platform's
// x-ms-client-principal, and a refused token. Target: validation stays well under a millisecond of CPU per request.
import { identify, type IdentityOptions } from '../../src/http/identity.js';
import { createBearerVerifier } from '../../src/http/bearer-token.js';
import { startEmulator } from '../../src/local/emulator/index.js';
import { checkTarget } from './targets.js';

const N = 2000;

async function perCallMicros(run: () => Promise<unknown>, n = N): Promise<number> {
  for (let i = 0; i < 50; i++) await run(); // warm up (and fill the JWKS cache)
  const started = performance.now();
  for (let i = 0; i < n; i++) await run();
  return ((performance.now() - started) * 1000) / n;
}

export async function bench(): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const entra = { tenantId: emulator.entra.tenantId, audiences: [emulator.entra.clientId], authorityHost: emulator.url };
    const bearer: IdentityOptions = { verifier: createBearerVerifier(entra, { ca: emulator.caPem }), platformAuth: false, adminRole: 'DsvmPool.Admin' };
    const platform: IdentityOptions = { ...bearer, platformAuth: true };
    const token = await emulator.entra.tokenFor('alice@example.com', ['DsvmPool.User']);
    const tampered = `${token.slice(0, -8)}AAAAAAAA`;
    const principal = Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'preferred_username', val: 'alice@example.com' }, { typ: 'roles', val: 'DsvmPool.User' }] })).toString('base64');
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
    const rows: [string, number][] = [
      ['x-ms-client-principal (platform auth on)', await perCallMicros(() => identify(headers({ 'x-ms-client-principal': principal }), platform))],
      ['Bearer token, valid (RS256 verify)', await perCallMicros(() => identify(headers({ authorization: `Bearer ${token}` }), bearer))],
      ['Bearer token, bad signature', await perCallMicros(() => identify(headers({ authorization: `Bearer ${tampered}` }), bearer))],
    ];
    console.log(`| credential | µs per request (${N} calls) | × principal |`);
    console.log('| --- | --- | --- |');
    for (const [what, us] of rows) console.log(`| ${what} | ${us.toFixed(1)} | ${(us / rows[0]![1]).toFixed(1)} |`);
    console.log(`JWKS fetches: ${emulator.calls({ operation: 'entra.keys' })} (cached after the first)`);
    checkTarget({ name: 'bearer token validation per request', value: Math.round(rows[1]![1]), atMost: 1000, unit: 'µs' });
  } finally {
    await emulator.stop();
  }
}
