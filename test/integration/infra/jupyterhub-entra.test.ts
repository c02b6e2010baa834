// infra/vm/jupyterhub_entra_config.py, loaded the way JupyterHub loads a config file (traitlets' PyFileConfigLoader
// from the Debian jupyterhub package), with the pool.env and secret file cloud-init and pool_identity.py write.
// oauthenticator itself is not installable here (no Debian package; PyPI unreachable), so a stand-in module named
// oauthenticator.azuread provides LocalAzureAdOAuthenticator: this checks the settings and the account-name mapping
// the template gives it, not Entra's OAuth flow (README "VM login" says what stays unverified).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const config = resolve(import.meta.dirname, '../../../infra/vm/jupyterhub_entra_config.py');
const pool = readFileSync(resolve(import.meta.dirname, '../../../infra/app/pool.bicep'), 'utf8');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsvm-hub-entra-'));
  mkdirSync(join(dir, 'stub/oauthenticator'), { recursive: true });
  writeFileSync(join(dir, 'stub/oauthenticator/__init__.py'), '');
  writeFileSync(join(dir, 'stub/oauthenticator/azuread.py'), 'class LocalAzureAdOAuthenticator:\n    pass\n');
  // The keys pool.bicep writes into /etc/dsvm-pool/pool.env (its POOL_ENV token), with test values.
  const keys = [...pool.matchAll(/'(DSVMPOOL_[A-Z_]+)=\$\{/g)].map((m) => m[1]!);
  writeFileSync(join(dir, 'pool.env'), keys.map((k) => `${k}=${k.toLowerCase()}-value`).join('\n') + '\n');
  writeFileSync(join(dir, 'secret'), 'hub-secret\n', { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(): Record<string, unknown> {
  const program = `
import json, sys
from traitlets.config.loader import PyFileConfigLoader
cfg = PyFileConfigLoader(${JSON.stringify(config)}).load_config()
auth = cfg.JupyterHub.authenticator_class
names = {u: auth().user_info_to_username({"preferred_username": u}) for u in ["Alice.Smith@contoso.com", "bob@contoso.com", "9lives@contoso.com", "@nobody"]}
print(json.dumps({"class": auth.__name__, "base": auth.__mro__[1].__name__, "settings": {k: v for k, v in cfg.PoolAzureAdOAuthenticator.items()}, "names": names}))
`;
  const run = spawnSync('/usr/bin/python3', ['-c', program], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', PYTHONPATH: join(dir, 'stub'), DSVMPOOL_POOL_ENV: join(dir, 'pool.env'), DSVMPOOL_OAUTH_SECRET_FILE: join(dir, 'secret') },
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('JupyterHub Entra sign-in config', () => {
  it('uses a LocalAzureAdOAuthenticator with the tenant, client, callback and secret the VM was given', () => {
    const loaded = load();
    expect(loaded.class).toBe('PoolAzureAdOAuthenticator');
    expect(loaded.base).toBe('LocalAzureAdOAuthenticator');
    expect(loaded.settings).toEqual({
      tenant_id: 'dsvmpool_entra_tenant_id-value',
      client_id: 'dsvmpool_hub_client_id-value',
      client_secret: 'hub-secret',
      oauth_callback_url: 'dsvmpool_hub_callback_url-value',
      allow_all: true,
      create_system_users: true,
      add_user_cmd: ['/opt/dsvm-pool/pool_identity.py', 'add-user'],
    });
  });

  it('maps Entra user names to Linux account names of the pool, refusing what cannot be one', () => {
    expect(load().names).toEqual({ 'Alice.Smith@contoso.com': 'alice-smith', 'bob@contoso.com': 'bob', '9lives@contoso.com': '', '@nobody': '' });
  });
});
