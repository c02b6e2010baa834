// VM login across the pool with real Debian parts: infra/vm/pool_identity.py on two "VMs" (own ssh and account
// directories, one shared home share) fetches the pool's host key from a loopback Key Vault with an IMDS token;
// two real sshd serve that key; two users log into both with one known_hosts line and strict checking, and
// accounts created on either VM get the same uid on both. Key Vault and IMDS are loopback stand-ins.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImdsStub, type ImdsStub } from '../../support/infra/imds-stub.js';
import { startSshd, type TestSshd } from '../../support/infra/sshd.js';
import { requireProgram } from '../../support/infra/system-tools.js';
import { createTestUser, type TestUser } from '../../support/infra/test-user.js';

const script = resolve(import.meta.dirname, '../../../infra/vm/pool_identity.py');
const vmssId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/dsvm';

let dir: string;
let imds: ImdsStub;
let vault: Server;
let vaultUrl: string;
const vaultRequests: { path: string; auth: string | undefined }[] = [];
const sshds: TestSshd[] = [];
const users: TestUser[] = [];

function keygen(path: string): string {
  const made = spawnSync(requireProgram('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-f', path], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** One "VM": its own /etc/ssh, sshd drop-in and account files (a copy of this machine's), the shared /home. */
function vm(name: string): Record<string, string> {
  const root = join(dir, name);
  mkdirSync(join(root, 'etc'), { recursive: true });
  for (const f of ['passwd', 'group', 'shadow', 'gshadow', 'login.defs']) copyFileSync(join('/etc', f), join(root, 'etc', f));
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    DSVMPOOL_IMDS_URL: imds.url,
    DSVMPOOL_KEYVAULT_URL: vaultUrl,
    DSVMPOOL_SSH_DIR: join(root, 'ssh'),
    DSVMPOOL_SSHD_DROPIN: join(root, 'sshd_config.d', '10-dsvm-pool-host-key.conf'),
    DSVMPOOL_OAUTH_SECRET_FILE: join(root, 'jupyterhub-oauth-secret'),
    DSVMPOOL_HOME_ROOT: join(dir, 'home'),
    DSVMPOOL_ACCOUNTS_PREFIX: root,
  };
}

/** Runs pool_identity.py without blocking this process (the Key Vault and IMDS stand-ins answer from it). */
function runPoolIdentity(env: Record<string, string>, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(requireProgram('python3'), [script, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (status) => done({ status, stdout, stderr }));
  });
}

async function poolIdentity(env: Record<string, string>, ...args: string[]): Promise<Record<string, unknown>> {
  const run = await runPoolIdentity(env, args);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim()) as Record<string, unknown>;
}

const passwdUid = (env: Record<string, string>, user: string) =>
  readFileSync(join(env.DSVMPOOL_ACCOUNTS_PREFIX!, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))?.split(':')[2];

let vmA: Record<string, string>;
let vmB: Record<string, string>;
let poolPublicKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dsvm-pool-login-'));
  mkdirSync(join(dir, 'home'));
  poolPublicKey = keygen(join(dir, 'pool-host-key'));
  const secrets: Record<string, string> = {
    'pool-ssh-host-key': readFileSync(join(dir, 'pool-host-key'), 'utf8'),
    'jupyterhub-oauth-client-secret': 'oauth-secret-for-tests',
  };
  imds = await startImdsStub({ vmssId, instanceId: '0', location: 'westeurope' });
  vault = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://vault');
    vaultRequests.push({ path: `${url.pathname}?${url.searchParams.toString()}`, auth: req.headers.authorization });
    const name = /^\/secrets\/([\w-]+)$/.exec(url.pathname)?.[1];
    if (req.headers.authorization !== 'Bearer imds-token-for-tests') return void res.writeHead(401).end();
    if (!name || !(name in secrets) || url.searchParams.get('api-version') !== '7.4') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: secrets[name], id: `${vaultUrl}/secrets/${name}/1` }));
  });
  await new Promise<void>((r) => vault.listen(0, '127.0.0.1', r));
  const address = vault.address();
  vaultUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  vmA = vm('vm-a');
  vmB = vm('vm-b');
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(sshds.map((s) => s.stop()));
  for (const u of users) u.remove();
  await Promise.allSettled([imds?.stop(), new Promise((r) => vault?.close(r))]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('one SSH host identity for the whole pool', () => {
  it('every VM installs the host key from Key Vault, with a token for Key Vault from the scale set identity', async () => {
    const a = await poolIdentity(vmA, 'boot');
    const b = await poolIdentity(vmB, 'boot');
    expect(a.event).toBe('boot');
    expect(b.hostKey).toBe(a.hostKey);
    for (const env of [vmA, vmB]) {
      expect(readFileSync(join(env.DSVMPOOL_SSH_DIR!, 'ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2)).toEqual(poolPublicKey.split(' ').slice(0, 2));
      expect(statSync(join(env.DSVMPOOL_SSH_DIR!, 'ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(env.DSVMPOOL_SSHD_DROPIN!, 'utf8')).toContain(`HostKey ${join(env.DSVMPOOL_SSH_DIR!, 'ssh_host_ed25519_key')}`);
      expect(readFileSync(env.DSVMPOOL_OAUTH_SECRET_FILE!, 'utf8').trim()).toBe('oauth-secret-for-tests');
    }
    expect(new Set(imds.tokenResources)).toEqual(new Set(['https://vault.azure.net']));
    expect(vaultRequests.every((r) => r.auth === 'Bearer imds-token-for-tests' && r.path.endsWith('api-version=7.4'))).toBe(true);
  });

  it('two users log into both VMs with one known_hosts line and strict host key checking; another key is refused', async () => {
    const alice = createTestUser('dsvmpool-alice');
    const bob = createTestUser('dsvmpool-bob');
    users.push(alice, bob);
    const clientKeys = { [alice.name]: join(dir, 'alice_key'), [bob.name]: join(dir, 'bob_key') };
    const authorizedKeys = Object.fromEntries(Object.entries(clientKeys).map(([u, path]) => [u, keygen(path)]));
    // The two VMs serve the key pool_identity.py installed on each; a third sshd has a VM-local key of its own.
    for (const env of [vmA, vmB]) sshds.push(await startSshd({ hostKeyFile: join(env.DSVMPOOL_SSH_DIR!, 'ssh_host_ed25519_key'), authorizedKeys }));
    const stranger = await startSshd({ authorizedKeys });
    sshds.push(stranger);
    // What README tells users to put in known_hosts once: the pool's key for the host on any port (LB 22, NAT 50000+).
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:*,127.0.0.1 ${poolPublicKey.split(' ').slice(0, 2).join(' ')}\n`);
    const ssh = (user: string, port: number) =>
      spawnSync(requireProgram('ssh'), [
        '-i', clientKeys[user]!, '-p', String(port), '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes',
        '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
        `${user}@127.0.0.1`, 'id -un',
      ], { encoding: 'utf8', timeout: 30_000 });
    for (const user of [alice.name, bob.name]) {
      for (const server of sshds.slice(0, 2)) {
        const run = ssh(user, server.port);
        expect(run.status, `${user} on port ${server.port}: ${run.stderr}\n${server.log()}`).toBe(0);
        expect(run.stdout.trim()).toBe(user);
        expect(run.stderr).not.toMatch(/WARNING|IDENTIFICATION HAS CHANGED|authenticity/i);
      }
    }
    const refused = ssh(alice.name, stranger.port);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    expect(readFileSync(knownHosts, 'utf8').split('\n').filter(Boolean)).toHaveLength(1); // nothing learnt on the way
  });
});

describe('one account, one uid, on every VM (the home share is the uid registry)', () => {
  it('accounts created on either VM get the same uid on both, and their homes are theirs', async () => {
    const carol = await poolIdentity(vmA, 'add-user', 'carol');
    const dave = await poolIdentity(vmB, 'add-user', 'dave');
    expect(carol.uid).toBe(20000);
    expect(dave.uid).toBe(20001); // vm-b saw carol's claim on the share
    expect((await poolIdentity(vmB, 'sync-users')).created).toEqual(['carol']);
    expect((await poolIdentity(vmA, 'sync-users')).created).toEqual(['dave']);
    expect((await poolIdentity(vmA, 'sync-users')).created).toEqual([]);
    for (const env of [vmA, vmB]) {
      expect(passwdUid(env, 'carol')).toBe('20000');
      expect(passwdUid(env, 'dave')).toBe('20001');
    }
    expect(statSync(join(dir, 'home', 'carol')).uid).toBe(20000);
    expect(statSync(join(dir, 'home', 'dave')).uid).toBe(20001);
    // Again on the other VM: same uid, nothing new.
    expect((await poolIdentity(vmB, 'add-user', 'carol')).uid).toBe(20000);
  });

  it('refuses a name that is no Linux user name, and writes nothing', async () => {
    const run = await runPoolIdentity(vmA, ['add-user', 'Alice@Contoso.com']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout) as unknown).toEqual({ event: 'failed', error: expect.stringContaining('not a valid Linux user name') });
    expect(passwdUid(vmA, 'Alice@Contoso.com')).toBeUndefined();
  });
});
