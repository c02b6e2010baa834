#!/usr/bin/env node
// azd postprovision hook (after seed-policies.mjs): puts the pool's two secrets into its Key Vault once, as the
// signed-in admin (Key Vault Secrets Officer on the vault, from rbac.bicep), and prints the known_hosts line users
// need. Never overwrites: a re-provision keeps the host key users already trust.
//   pool-ssh-host-key              an ed25519 SSH host key made here with ssh-keygen (every DSVM serves it)
//   jupyterhub-oauth-client-secret a client secret added to the dsvm-pool app registration (az ad app credential
//                                  reset --append), for JupyterHub's Entra sign-in on the DSVMs
// Reads POOL_KEYVAULT_NAME, DSVMPOOL_API_CLIENT_ID, POOL_SSH_HOST (azd passes the deployment's outputs).
// Secrets go through 0600 temp files, never command lines.  `--print` only prints the known_hosts line.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this after \`azd provision\` (it is a deployment output)`);
  return value;
};
const vault = required('POOL_KEYVAULT_NAME');
const host = required('POOL_SSH_HOST');
const az = (...args) => execFileSync('az', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Role assignments take a few minutes to reach Key Vault: retry 403s for up to five minutes. */
async function withRbacRetry(what, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      const text = String(error.stderr ?? error.message);
      if (!/Forbidden|403/.test(text) || attempt >= 20) throw new Error(`${what}: ${text.trim()}`);
      console.error(`${what}: not allowed yet (role assignment propagating), retrying in 15 s`);
      await new Promise((r) => setTimeout(r, 15_000));
    }
  }
}

const exists = (name) => withRbacRetry(`read ${name}`, () => {
  try {
    az('keyvault', 'secret', 'show', '--vault-name', vault, '--name', name, '--query', 'id', '-o', 'tsv');
    return true;
  } catch (error) {
    if (/SecretNotFound|was not found/.test(String(error.stderr))) return false;
    throw error;
  }
});

const dir = mkdtempSync(join(tmpdir(), 'dsvm-pool-secrets-'));
chmodSync(dir, 0o700);
try {
  const setFromFile = (name, file) => withRbacRetry(`write ${name}`, () => az('keyvault', 'secret', 'set', '--vault-name', vault, '--name', name, '--file', file, '--encoding', 'utf-8', '-o', 'none'));
  if (!process.argv.includes('--print')) {
    if (!(await exists('pool-ssh-host-key'))) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dsvm-pool', '-f', join(dir, 'host_key')]);
      await setFromFile('pool-ssh-host-key', join(dir, 'host_key'));
      console.log('pool-ssh-host-key: created');
    }
    if (!(await exists('jupyterhub-oauth-client-secret'))) {
      const clientId = required('DSVMPOOL_API_CLIENT_ID');
      const password = az('ad', 'app', 'credential', 'reset', '--id', clientId, '--append', '--display-name', 'dsvm-pool-jupyterhub', '--years', '2', '--query', 'password', '-o', 'tsv');
      writeFileSync(join(dir, 'oauth'), password, { mode: 0o600 });
      await setFromFile('jupyterhub-oauth-client-secret', join(dir, 'oauth'));
      console.log('jupyterhub-oauth-client-secret: created (a 2-year client secret on the app registration)');
    }
  }
  const key = await withRbacRetry('read pool-ssh-host-key', () => az('keyvault', 'secret', 'show', '--vault-name', vault, '--name', 'pool-ssh-host-key', '--query', 'value', '-o', 'tsv'));
  writeFileSync(join(dir, 'current'), key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
  const pub = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'current')], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
  console.log('\nAdd this line to ~/.ssh/known_hosts once; it covers every VM of the pool on every port:');
  console.log(`[${host}]:*,${host} ${pub}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
