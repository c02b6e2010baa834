// The CLI finds `npm start`'s emulator by itself for a loopback endpoint, so the README's local example needs no
// token settings; anywhere else, or when a token source is configured, it leaves things alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localEmulator, resolveSettings } from '../../../src/cli/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'dsvm-cli-local-'));
mkdirSync(join(dir, '.local'));
writeFileSync(join(dir, '.local', 'emulator.json'), JSON.stringify({ url: 'https://127.0.0.1:7443', caFile: '/x/emulator-ca.pem' }));
const env = { DSVMPOOL_LOCAL_DIR: dir, DSVMPOOL_CONFIG: join(dir, 'none.json') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local emulator, found by the CLI', () => {
  it('is read from the connection file npm start writes, for a loopback endpoint only', () => {
    expect(localEmulator('http://localhost:7071', env)).toEqual({ url: 'https://127.0.0.1:7443', caFile: '/x/emulator-ca.pem' });
    expect(localEmulator('http://127.0.0.1:7071', env)?.url).toBe('https://127.0.0.1:7443');
    expect(localEmulator('https://dsvm-pool.azurewebsites.net', env)).toBeUndefined();
    expect(localEmulator('http://localhost:7071', { DSVMPOOL_LOCAL_DIR: join(dir, 'nothing') })).toBeUndefined();
  });

  it('gives the token route when nothing else says where tokens come from', () => {
    expect(resolveSettings({ endpoint: 'http://localhost:7071' }, env)).toMatchObject({ emulatorUrl: 'https://127.0.0.1:7443', emulatorCaFile: '/x/emulator-ca.pem' });
    expect(resolveSettings({ endpoint: 'http://localhost:7071', token: 't' }, env).emulatorUrl).toBeUndefined();
    expect(resolveSettings({ endpoint: 'http://localhost:7071' }, { ...env, DSVMPOOL_APP_ID: 'api://x' }).emulatorUrl).toBeUndefined();
    expect(resolveSettings({ endpoint: 'http://localhost:7071' }, { ...env, DSVMPOOL_EMULATOR_URL: '' }).emulatorUrl).toBeUndefined();
  });
});
