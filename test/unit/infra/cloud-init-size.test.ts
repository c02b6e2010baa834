// The scale set's customData stays under Azure's limit and still delivers every file the VMs need.
// Azure: "The maximum length of the binary array is 65535 bytes" — the decoded customData (Compute REST reference,
// VirtualMachineScaleSetOSProfile / OSProfile `customData`; the same text in the SDK references of that property).
// cloud-init's write_files decodes `encoding: gz+b64` as base64, then gunzip (cloud-init,
// cloudinit/config/cc_write_files.py, canonicalize_extraction: gz+base64, gzip+base64, gz+b64, gzip+b64).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { customDataOf, vmDir } from '../../support/infra/custom-data.js';

const AZURE_CUSTOM_DATA_MAX_BYTES = 65_535;
/** Room kept free for the VM files to grow: the built customData must leave at least this much of the limit unused. */
const MARGIN_BYTES = 16_384;

// Per-deployment values at their longest plausible length (DNS names up to 253 characters), so the size is an upper bound.
const long = (prefix: string, suffix: string) => `${prefix}${'x'.repeat(253 - prefix.length - suffix.length)}${suffix}`;
const params = {
  nfsShare: { host: long('st', '.file.core.windows.net'), path: `/${'y'.repeat(24)}/${'z'.repeat(63)}` },
  vaultUri: `https://${long('kv', '.vault.azure.net')}/`,
  sessionsTableUrl: `https://${long('st', '.table.core.windows.net')}/vmsessions`,
  hubEntra: {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    clientId: '00000000-1111-2222-3333-444444444444',
    callbackUrl: `https://${long('func', '.azurewebsites.net')}/hub/oauth_callback`,
  },
};

interface WriteFile { path: string; permissions?: string; encoding?: string; content: string }
const built = customDataOf(params);
const cloudConfig = parse(built) as { write_files: WriteFile[]; runcmd: unknown[]; mounts: unknown[][] };
const decode = (f: WriteFile): Buffer => {
  const bytes = Buffer.from(f.content, 'base64');
  if (f.encoding === 'gz+b64') return gunzipSync(bytes);
  if (f.encoding === 'b64') return bytes;
  throw new Error(`${f.path}: encoding ${f.encoding} not expected`);
};
const vm = (file: string) => readFileSync(join(vmDir, file));

describe('customData of the scale set (pool.bicep)', () => {
  it(`decodes to at most ${AZURE_CUSTOM_DATA_MAX_BYTES - MARGIN_BYTES} bytes: Azure's 65,535 less a ${MARGIN_BYTES}-byte margin`, () => {
    const bytes = Buffer.byteLength(built, 'utf8');
    console.log(`customData decoded: ${bytes} bytes (limit ${AZURE_CUSTOM_DATA_MAX_BYTES}, margin ${AZURE_CUSTOM_DATA_MAX_BYTES - bytes})`);
    expect(bytes).toBeLessThanOrEqual(AZURE_CUSTOM_DATA_MAX_BYTES - MARGIN_BYTES);
    // base64(cloudInit) in ARM is what the REST API takes: 4/3 of that, no line breaks.
    expect(Buffer.from(Buffer.from(built).toString('base64'), 'base64').length).toBe(bytes);
  });

  it('is a #cloud-config with every {{TOKEN}} filled', () => {
    expect(built.split('\n')[0]).toBe('#cloud-config');
    expect(built).not.toMatch(/\{\{[A-Z_]+\}\}/);
  });

  it('writes the same 11 files as before compression, each byte for byte what infra/vm holds, with its mode', () => {
    const expected: [path: string, source: string | null, permissions: string | undefined, encoding: string][] = [
      ['/opt/dsvm-pool/session_reporter.py', 'session_reporter.py', '0755', 'gz+b64'],
      ['/opt/dsvm-pool/dsvm-session-reporter.service', 'dsvm-session-reporter.service', undefined, 'gz+b64'],
      ['/opt/dsvm-pool/dsvm-session-reporter.timer', 'dsvm-session-reporter.timer', undefined, 'gz+b64'],
      ['/opt/dsvm-pool/dsvm-session-probe.service', 'dsvm-session-probe.service', undefined, 'gz+b64'],
      ['/opt/dsvm-pool/jupyterhub_reporter_config.py', 'jupyterhub_reporter_config.py', undefined, 'gz+b64'],
      ['/opt/dsvm-pool/pool_identity.py', 'pool_identity.py', '0755', 'gz+b64'],
      ['/opt/dsvm-pool/jupyterhub_entra_config.py', 'jupyterhub_entra_config.py', undefined, 'gz+b64'],
      ['/etc/dsvm-pool/reporter.env', null, '0644', 'b64'],
      ['/etc/dsvm-pool/pool.env', null, '0644', 'b64'],
      ['/etc/cron.d/dsvm-pool-accounts', null, undefined, 'b64'],
      ['/opt/dsvm-pool/install-reporter.sh', 'install-reporter.sh', '0755', 'gz+b64'],
    ];
    expect(cloudConfig.write_files.map((f) => f.path)).toEqual(expected.map((e) => e[0]));
    for (const [path, source, permissions, encoding] of expected) {
      const f = cloudConfig.write_files.find((w) => w.path === path)!;
      expect({ path, permissions: f.permissions, encoding: f.encoding }).toEqual({ path, permissions, encoding });
      if (source) expect(decode(f).equals(vm(source)), `${path} differs from infra/vm/${source}: run \`npm run vm-files\``).toBe(true);
    }
  });

  it('carries the per-deployment values uncompressed, as ARM substitutes them', () => {
    const file = (path: string) => decode(cloudConfig.write_files.find((w) => w.path === path)!).toString('utf8');
    expect(file('/etc/dsvm-pool/reporter.env')).toBe(`DSVMPOOL_SESSIONS_TABLE_URL=${params.sessionsTableUrl}\n`);
    expect(file('/etc/dsvm-pool/pool.env')).toBe(
      `DSVMPOOL_KEYVAULT_URL=${params.vaultUri}\nDSVMPOOL_ENTRA_TENANT_ID=${params.hubEntra.tenantId}\n` +
        `DSVMPOOL_HUB_CLIENT_ID=${params.hubEntra.clientId}\nDSVMPOOL_HUB_CALLBACK_URL=${params.hubEntra.callbackUrl}\n`,
    );
    expect(file('/etc/cron.d/dsvm-pool-accounts')).toContain('/opt/dsvm-pool/pool_identity.py sync-users');
    expect(cloudConfig.mounts[0]![0]).toBe(`${params.nfsShare.host}:${params.nfsShare.path}`);
    expect(cloudConfig.runcmd).toHaveLength(2);
  });
});

describe('infra/vm/cloud-init-files.json (the compressed VM files pool.bicep loads)', () => {
  const script = join(vmDir, '..', 'scripts', 'build-cloud-init.mjs');

  it('is up to date with infra/vm (else: run `npm run vm-files` and commit it)', () => {
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('--check fails on a stale copy, naming the file and the command that fixes it', () => {
    // A copy where pool_identity.py's compressed content is another file's, as after editing it without rebuilding.
    const shipped = JSON.parse(readFileSync(join(vmDir, 'cloud-init-files.json'), 'utf8')) as Record<string, string>;
    const dir = mkdtempSync(join(tmpdir(), 'vm-files-'));
    try {
      const stale = join(dir, 'cloud-init-files.json');
      writeFileSync(stale, JSON.stringify({ ...shipped, 'pool_identity.py': shipped['dsvm-session-reporter.timer'] }));
      const check = spawnSync(process.execPath, [script, '--check', '--file', stale], { encoding: 'utf8' });
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('is stale for pool_identity.py: run `npm run vm-files` and commit it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fits loadJsonContent: at most 1,048,576 characters (Learn, "Bicep file functions", loadJsonContent)', () => {
    expect(readFileSync(join(vmDir, 'cloud-init-files.json'), 'utf8').length).toBeLessThanOrEqual(1_048_576);
  });

  it('is deterministic: building twice gives the same bytes, with gzip mtime 0', () => {
    const run = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `import { build } from ${JSON.stringify(script)}; process.stdout.write(build());`], { encoding: 'utf8' }).stdout;
    const a = run();
    expect(a.length).toBeGreaterThan(1000);
    expect(run()).toBe(a);
    const first = Object.values(JSON.parse(a) as Record<string, string>)[0]!;
    expect(Buffer.from(first, 'base64').readUInt32LE(4)).toBe(0);
  });
});
