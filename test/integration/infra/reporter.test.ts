// The session reporter (infra/vm/session_reporter.py) against real parts: a real JupyterHub with real
// single-user servers, real SSH logins to a real sshd, and the local Azure emulator as the Monitor ingestion
// endpoint (read back with the real @azure/arm-monitor client). Only IMDS is a loopback stub.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorClient } from '@azure/arm-monitor';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_METRIC, type SessionKind } from '../../../src/autoscale/session-metric.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { hostLock } from '../../support/infra/host-lock.js';
import { startImdsStub, type ImdsStub } from '../../support/infra/imds-stub.js';
import { startJupyterHub, type TestJupyterHub } from '../../support/infra/jupyterhub.js';
import { reporterScript, runReporter, type ReporterRun } from '../../support/infra/reporter.js';
import { startSshd, type TestSshd } from '../../support/infra/sshd.js';

const instanceId = '0';
const staticCredential: TokenCredential = { getToken: async () => ({ token: 'test', expiresOnTimestamp: Date.now() + 3600_000 }) };

let emulator: Emulator;
let hub: TestJupyterHub;
let sshd: TestSshd;
let imds: ImdsStub;
let monitor: MonitorClient;
let vmssId: string;
let dir: string;
let env: Record<string, string>;
let release: (() => void) | undefined;

beforeAll(async () => {
  release = await hostLock('jupyter-servers'); // drain.test.ts counts single-user servers machine-wide
  dir = mkdtempSync(join(tmpdir(), 'dsvm-reporter-'));
  emulator = await startEmulator({ port: 0 });
  vmssId = emulator.compute.createScaleSet({ resourceGroup: 'dsvm-pool-reporter', name: 'dsvm', capacity: 1, location: 'westeurope' });
  writeFileSync(join(dir, 'emulator-ca.pem'), emulator.caPem);
  imds = await startImdsStub({ vmssId, instanceId, location: 'westeurope' });
  [hub, sshd] = await Promise.all([startJupyterHub(), startSshd()]);
  monitor = new MonitorClient(staticCredential, { endpoint: emulator.url, tlsOptions: { ca: emulator.caPem } } as never);
  env = {
    DSVMPOOL_HUB_API_URL: hub.apiUrl,
    DSVMPOOL_HUB_TOKEN_FILE: hub.reporterTokenFile,
    DSVMPOOL_SSHD_PIDFILE: sshd.pidFile,
    DSVMPOOL_IMDS_URL: imds.url,
    DSVMPOOL_METRICS_ENDPOINT: emulator.url,
    DSVMPOOL_METRICS_CA_FILE: join(dir, 'emulator-ca.pem'),
    DSVMPOOL_RETRIES: '2',
  };
}, 420_000);

afterAll(async () => {
  await Promise.allSettled([hub?.dispose(), sshd?.stop(), imds?.stop(), emulator?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
  release?.();
});

type Totals = Partial<Record<SessionKind, { total: number; count: number }>>;

/** Sum and number of all values stored for this instance, per Kind, read through the Metrics API. */
async function totals(): Promise<Totals> {
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  let response;
  try {
    response = await monitor.metrics.list(vmssId.slice(1), {
      timespan: `${from}/${to}`,
      interval: 'FULL',
      metricnames: SESSION_METRIC.name,
      metricnamespace: SESSION_METRIC.namespace,
      aggregation: 'Total,Count',
      filter: `${SESSION_METRIC.instanceDimension} eq '${instanceId}' and ${SESSION_METRIC.kindDimension} eq '*'`,
    });
  } catch (e) {
    // Before the first post the metric does not exist for the resource; Azure answers 400 then.
    if ((e as { statusCode?: number }).statusCode === 400) return {};
    throw e;
  }
  const out: Totals = {};
  for (const series of response.value[0]?.timeseries ?? []) {
    const kind = series.metadatavalues?.find((m) => m.name?.value?.toLowerCase() === SESSION_METRIC.kindDimension.toLowerCase())?.value;
    const point = series.data?.[0];
    if (kind) out[kind as SessionKind] = { total: point?.total ?? 0, count: point?.count ?? 0 };
  }
  return out;
}

/**
 * Runs the reporter once and returns what it posted per kind: the value, or undefined when it left that series
 * out. Values posted within one minute share a bucket, so this reads the change of sum and count around the run.
 */
async function report(extraEnv: Record<string, string> = {}): Promise<{ run: ReporterRun; posted: Partial<Record<SessionKind, number>> }> {
  const before = await totals();
  const run = await runReporter({ ...env, ...extraEnv });
  const after = await totals();
  return { run, posted: postedBetween(before, after) };
}

function postedBetween(before: Totals, after: Totals): Partial<Record<SessionKind, number>> {
  const posted: Partial<Record<SessionKind, number>> = {};
  for (const kind of SESSION_METRIC.kinds) {
    const count = (after[kind]?.count ?? 0) - (before[kind]?.count ?? 0);
    if (count === 0) continue;
    expect(count, `one ${kind} value per run`).toBe(1);
    posted[kind] = (after[kind]?.total ?? 0) - (before[kind]?.total ?? 0);
  }
  return posted;
}

describe('session reporter', () => {
  it('posts 0 jupyter and 0 ssh when nobody is on, with a Monitor token from IMDS', async () => {
    const { run, posted } = await report();
    expect(run.status, run.stderr + JSON.stringify(run.events)).toBe(0);
    expect(posted).toEqual({ jupyter: 0, ssh: 0 });
    expect(imds.tokenResources).toContain('https://monitoring.azure.com/');
    expect(run.events).toContainEqual(expect.objectContaining({ event: 'reported', instanceId }));
  });

  it('finds its scale set and instance id from the IMDS name fields when resourceId does not give them', async () => {
    const namesOnly = await startImdsStub({ vmssId, instanceId, location: 'westeurope', withResourceId: false });
    try {
      const { run, posted } = await report({ DSVMPOOL_IMDS_URL: namesOnly.url });
      expect(run.status, JSON.stringify(run.events)).toBe(0);
      expect(posted).toEqual({ jupyter: 0, ssh: 0 });
    } finally {
      await namesOnly.stop();
    }
  });

  it('counts running JupyterHub single-user servers exactly as users start and stop them', async () => {
    await hub.startServer('alice');
    expect((await report()).posted).toEqual({ jupyter: 1, ssh: 0 });
    await hub.startServer('bob');
    const both = await report({ DSVMPOOL_HUB_PAGE_SIZE: '1' }); // one user per page: follows the hub's paging
    expect(both.posted).toEqual({ jupyter: 2, ssh: 0 });
    // Both servers have just started, so both count as recently active (logged, not posted).
    expect(both.run.events).toContainEqual(expect.objectContaining({ event: 'reported', recentJupyterActivity: 2 }));
    await hub.stopServer('alice');
    expect((await report()).posted).toEqual({ jupyter: 1, ssh: 0 });
    await hub.stopServer('bob');
    expect((await report()).posted).toEqual({ jupyter: 0, ssh: 0 });
  });

  it('counts SSH sessions with and without a terminal, exactly as they open and close', async () => {
    const plain = await sshd.login();
    expect((await report()).posted).toEqual({ jupyter: 0, ssh: 1 });
    const terminal = await sshd.login({ terminal: true });
    expect((await report()).posted).toEqual({ jupyter: 0, ssh: 2 });
    await plain.close();
    expect((await report()).posted).toEqual({ jupyter: 0, ssh: 1 });
    await terminal.close();
    expect((await report()).posted).toEqual({ jupyter: 0, ssh: 0 });
  });

  it('counts OpenSSH 9.8+ session processes (sshd-session: user@tty), never the [priv] monitor', async () => {
    // Debian 12 ships OpenSSH 9.2, so the 9.8 titles are given with bash's exec -a to processes inside a real
    // session of this sshd (its descendants, as 9.8's sshd-session processes are).
    // Each reads the session's input (fd 3, saved before the background jobs), so it ends when the session does.
    const titled = (title: string) => `bash -c 'exec -a "${title}" cat' <&3 & `;
    const session = await sshd.login({
      command: 'exec 3<&0; ' + titled('sshd-session: dsvmuser@notty') + titled('sshd-session: dsvmuser@pts/7') + titled('sshd-session: dsvmuser [priv]') + 'sleep 0.5',
    });
    const titledCount = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('sshd-session: dsvmuser');
      } catch {
        return false;
      }
    }).length;
    const titledAlive = () => titledCount() > 0;
    try {
      // The login returns once the session is up; the three background processes take their titles a moment later
      // (slowly on a loaded machine): count only once all three exist, so the monitor's title is there to be skipped.
      for (let i = 0; i < 200 && titledCount() < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(titledCount(), 'the three titled processes started').toBe(3);
      // the real session ("sshd: root@notty") and the two 9.8-style ones; not the monitor
      expect((await report()).posted).toEqual({ jupyter: 0, ssh: 3 });
    } finally {
      await session.close();
    }
    for (let i = 0; i < 100 && titledAlive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(titledAlive(), 'the titled processes end with their session').toBe(false);
  });

  it('checks at install that JupyterHub is 3 or later (the reporter role uses its scope names)', async () => {
    const check = (bin: string) =>
      new Promise<{ status: number | null; out: string }>((done) => {
        const child = spawn('python3', [reporterScript, '--check-hub'], { env: { PATH: process.env.PATH ?? '', DSVMPOOL_JUPYTERHUB_BIN: bin } });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.once('exit', (status) => done({ status, out }));
      });
    const real = await check('jupyterhub'); // Debian 12: 3.0.0
    expect(real.status, real.out).toBe(0);
    const old = join(dir, 'jupyterhub-2');
    writeFileSync(old, '#!/bin/sh\necho 2.3.1\n', { mode: 0o755 });
    const tooOld = await check(old);
    expect(tooOld.status).toBe(1);
    expect(tooOld.out).toMatch(/JupyterHub 2\.3\.1 is too old: the session reporter needs JupyterHub 3 or later/);
  });

  it('does not trust a stale sshd pid file, which would hide every session', async () => {
    const session = await sshd.login();
    const stale = join(dir, 'stale-sshd.pid');
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' }); // alive, not an sshd, nobody's ancestor
    writeFileSync(stale, `${bystander.pid}\n`);
    try {
      expect((await report({ DSVMPOOL_SSHD_PIDFILE: stale })).posted).toEqual({ jupyter: 0, ssh: 1 });
    } finally {
      bystander.kill();
      await session.close();
    }
  });

  it('leaves out the SSH session it is itself run from', async () => {
    const someoneElse = await sshd.login();
    const before = await totals();
    const assignments = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
    const result = await sshd.run(`env ${assignments} python3 ${reporterScript}`);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(postedBetween(before, await totals())).toEqual({ jupyter: 0, ssh: 1 });
    await someoneElse.close();
  });

  it('retries a failing ingestion endpoint and posts once (emulator faults 503 and 429)', async () => {
    emulator.faults.add({ operation: 'monitor.metrics.ingest', kind: 'status', status: 503, count: 1 });
    emulator.faults.add({ operation: 'monitor.metrics.ingest', kind: 'status', status: 429, retryAfterSeconds: 1, count: 1 });
    const { run, posted } = await report();
    expect(run.status, JSON.stringify(run.events)).toBe(0);
    expect(posted).toEqual({ jupyter: 0, ssh: 0 });
  });

  it('fails visibly and posts nothing when throttling outlasts its retries', async () => {
    const rule = emulator.faults.add({ operation: 'monitor.metrics.ingest', kind: 'status', status: 429, retryAfterSeconds: 1, count: 10 });
    const { run, posted } = await report({ DSVMPOOL_RETRIES: '1' });
    emulator.faults.remove(rule);
    expect(run.status).toBe(1);
    expect(run.events).toContainEqual(expect.objectContaining({ event: 'failed', error: expect.stringContaining('429') }));
    expect(posted).toEqual({});
  });

  it('with JupyterHub down, reports SSH and leaves the jupyter series out instead of a false 0', async () => {
    await hub.startServer('carol');
    const session = await sshd.login();
    expect((await report()).posted).toEqual({ jupyter: 1, ssh: 1 });
    await hub.stop();
    const { run, posted } = await report();
    expect(run.status).toBe(0);
    expect(posted).toEqual({ ssh: 1 });
    expect(run.events).toContainEqual(
      expect.objectContaining({ event: 'reported', skipped: { jupyter: expect.stringContaining(hub.apiUrl) } }),
    );
    await session.close();
  });
});
