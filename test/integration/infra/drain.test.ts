// Drain before scale-in on the VM side (docs/drain.md), against real parts: a real sshd using the system's PAM stack
// (pam_nologin) with a normal user's logins, a real JupyterHub configured by infra/vm/jupyterhub_reporter_config.py
// (cleanup_servers = False) with real single-user servers, and the local emulator as the metrics endpoint for the
// periodic run. The drain no longer stops the hub: it fails the load balancer's probe (`--serve-probe`, 503 while
// drained) and the broker places nobody there, so open browser and SSH sessions stay up.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDrainOutput } from '../../../src/autoscale/drain-contract.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { hostLock } from '../../support/infra/host-lock.js';
import { startImdsStub, type ImdsStub } from '../../support/infra/imds-stub.js';
import { startJupyterHub } from '../../support/infra/jupyterhub.js';
import { freePort } from '../../support/infra/free-port.js';
import { reporterScript, runReporter } from '../../support/infra/reporter.js';
import { requireProgram } from '../../support/infra/system-tools.js';
import { startSshd, type TestSshd } from '../../support/infra/sshd.js';
import { createTestUser, type TestUser } from '../../support/infra/test-user.js';

// pam_nologin reads this fixed path (it has no per-service setting in Debian's /etc/pam.d/sshd), so the SSH test
// uses the VM default itself; nothing else on a test machine logs in as a normal user over SSH.
const SYSTEM_NOLOGIN = '/run/nologin';

let emulator: Emulator;
let imds: ImdsStub;
let sshd: TestSshd;
let user: TestUser;
let dir: string;
let base: Record<string, string>;
let release: (() => void) | undefined;
let wroteSystemNologin = false;

beforeAll(async () => {
  release = await hostLock('jupyter-servers'); // single-user servers are counted machine-wide, from /proc
  dir = mkdtempSync(join(tmpdir(), 'dsvm-drain-'));
  user = createTestUser('dsvm-drain-test');
  emulator = await startEmulator({ port: 0 });
  const vmssId = emulator.compute.createScaleSet({ resourceGroup: 'dsvm-pool-drain', name: 'dsvm', capacity: 1, location: 'westeurope' });
  writeFileSync(join(dir, 'emulator-ca.pem'), emulator.caPem);
  imds = await startImdsStub({ vmssId, instanceId: '0', location: 'westeurope' });
  sshd = await startSshd({ pam: true, user: user.name });
  base = {
    DSVMPOOL_SSHD_PIDFILE: sshd.pidFile,
    DSVMPOOL_NOLOGIN_FILE: join(dir, 'nologin'),
    DSVMPOOL_DRAIN_DIR: join(dir, 'dsvm-pool'),
    DSVMPOOL_IMDS_URL: imds.url,
    DSVMPOOL_METRICS_ENDPOINT: emulator.url,
    DSVMPOOL_METRICS_CA_FILE: join(dir, 'emulator-ca.pem'),
    DSVMPOOL_HUB_API_URL: 'http://127.0.0.1:1/hub/api', // no hub unless a test starts one
    DSVMPOOL_HUB_TOKEN: 'unused',
    DSVMPOOL_RETRIES: '0',
  };
}, 420_000);

afterAll(async () => {
  if (wroteSystemNologin) rmSync(SYSTEM_NOLOGIN, { force: true });
  await Promise.allSettled([sshd?.stop(), imds?.stop(), emulator?.stop()]);
  user?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
  release?.();
});

const drain = (env: Record<string, string> = {}, minutes = '15') =>
  runReporter({ ...base, ...env }, ['--drain', '--drain-minutes', minutes]);
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

describe('drain: SSH', () => {
  it('blocks new logins of a normal user with /run/nologin, counts the open session, and --undrain lets logins in', async () => {
    expect(existsSync(SYSTEM_NOLOGIN), `${SYSTEM_NOLOGIN} exists already: is this machine being drained?`).toBe(false);
    const open = await sshd.login();
    wroteSystemNologin = true;
    const drained = await drain({ DSVMPOOL_NOLOGIN_FILE: SYSTEM_NOLOGIN });
    expect(drained.status, drained.stderr).toBe(0);
    expect(drained.events).toEqual([{ drained: true, ssh: 1, jupyter: 0 }]);
    expect(readFileSync(SYSTEM_NOLOGIN, 'utf8')).toMatch(/another VM/);

    await expect(sshd.login()).rejects.toThrow(/ssh exited/);
    expect(sshd.log()).toMatch(new RegExp(`Access denied for user ${user.name} by PAM account configuration`));
    expect(alive(open.serverPid), 'the session that was open before the drain goes on').toBe(true);

    const undrained = await runReporter({ ...base, DSVMPOOL_NOLOGIN_FILE: SYSTEM_NOLOGIN }, ['--undrain']);
    expect(undrained.status, undrained.stderr).toBe(0);
    expect(undrained.events).toEqual([{ drained: false }]);
    expect(existsSync(SYSTEM_NOLOGIN)).toBe(false);
    const again = await sshd.login();
    await again.close();
    await open.close();
  });
});

describe('drain: JupyterHub', () => {
  it('keeps the hub and the running single-user server up, counts it, fails the probe, and the periodic run names dana', async () => {
    const hub = await startJupyterHub();
    const port = await freePort();
    const probe = spawn(requireProgram('python3'), [reporterScript, '--serve-probe'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...base, DSVMPOOL_PROBE_PORT: String(port), DSVMPOOL_PROBE_ADDRESS: '127.0.0.1' },
      stdio: 'ignore',
    });
    const probeStatus = async () => {
      for (let i = 0; i < 50; i++) {
        try {
          return (await fetch(`http://127.0.0.1:${port}/`)).status;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('the probe never answered');
    };
    try {
      await hub.startServer('dana');
      const servers = hub.serverPids();
      expect(servers).toHaveLength(1);
      expect(await probeStatus()).toBe(200);
      const drained = await drain();
      expect(drained.events).toEqual([{ drained: true, ssh: 0, jupyter: 1 }]);
      expect(await probeStatus(), 'a drained VM fails the load balancer probe').toBe(503);
      expect(alive(hub.pid), 'the hub keeps running: its proxy and every open browser session stay up').toBe(true);
      expect((await fetch(`${hub.apiUrl}/`)).status).toBe(200);
      expect(alive(servers[0]!), "dana's server keeps running").toBe(true);

      const periodic = await runReporter({ ...base, DSVMPOOL_HUB_API_URL: hub.apiUrl, DSVMPOOL_HUB_TOKEN_FILE: hub.reporterTokenFile });
      expect(periodic.status, periodic.stderr + JSON.stringify(periodic.events)).toBe(0);
      expect(periodic.events).toContainEqual(expect.objectContaining({ event: 'reported', counts: { jupyter: 1, ssh: 0 }, drained: true }));
      expect((await runReporter(base, ['--undrain'])).status).toBe(0);
      expect(await probeStatus(), 'undrained, the probe passes again').toBe(200);
    } finally {
      probe.kill();
      await hub.dispose();
      await runReporter(base, ['--undrain']);
    }
  });
});

describe('drain: self-expiry and unknown counts', () => {
  it('stays drained before drained-until and ends the drain on the next periodic run after it', async () => {
    expect((await drain()).status).toBe(0);
    const early = await runReporter(base);
    expect(early.events).toContainEqual(expect.objectContaining({ event: 'reported', drained: true }));
    expect(existsSync(base.DSVMPOOL_NOLOGIN_FILE!)).toBe(true);

    expect((await drain({}, '0.01')).status).toBe(0); // drained-until in under a second
    const until = Date.parse(readFileSync(join(dir, 'dsvm-pool', 'drained-until'), 'utf8').trim());
    while (Date.now() <= until) await new Promise((r) => setTimeout(r, 100));
    const late = await runReporter(base);
    expect(late.status, JSON.stringify(late.events)).toBe(0);
    expect(late.events).toContainEqual(expect.objectContaining({ event: 'undrained', reason: 'drained-until passed', problems: [] }));
    expect(late.events).toContainEqual(expect.objectContaining({ event: 'reported', drained: false }));
    expect(existsSync(base.DSVMPOOL_NOLOGIN_FILE!)).toBe(false);
    expect(existsSync(join(dir, 'dsvm-pool', 'drained-until'))).toBe(false);
  });

  it('answers unknown instead of a count when a block failed, and the app keeps such a VM', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const drained = await drain({ DSVMPOOL_DRAIN_DIR: join(dir, 'not-a-dir', 'dsvm-pool'), DSVMPOOL_NOLOGIN_FILE: join(dir, 'not-a-dir', 'nologin') });
    expect(drained.status).toBe(0);
    expect(drained.events).toEqual([{ drained: true, unknown: ['jupyter', 'ssh'] }]);
    expect(drained.stderr).toMatch(/cannot write .*drained-until/);
    const parsed = parseDrainOutput(`Enable succeeded: \n[stdout]\n${JSON.stringify(drained.events[0])}\n[stderr]\n`);
    expect(parsed).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: ['jupyter', 'ssh'] } });
    await runReporter(base, ['--undrain']);
  });
});
