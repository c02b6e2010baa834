// The drain probe the load balancer asks (infra/app/network.bicep, probe `drain`): the real reporter's
// `--serve-probe`, as dsvm-session-probe.service runs it, answers 200 while the VM takes new sessions and 503 once
// `--drain` has written the drain flag, and 200 again after `--undrain`. An HTTP probe counts only 200 OK as healthy
// (ProbePropertiesFormat.protocol, Microsoft.Network REST reference), so 503 takes the VM out of rotation.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reporterScript } from '../../support/infra/reporter.js';

const sandbox = mkdtempSync(join(tmpdir(), 'dsvm-serve-probe-'));
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  DSVMPOOL_NOLOGIN_FILE: join(sandbox, 'nologin'),
  DSVMPOOL_DRAIN_DIR: join(sandbox, 'dsvm-pool'),
  DSVMPOOL_PROBE_ADDRESS: '127.0.0.1',
  DSVMPOOL_PROBE_PORT: '0', // a free port, printed in the probe-listening line
  DSVMPOOL_IMDS_URL: 'http://127.0.0.1:9', // nothing listens: the drain's best-effort row write gives up at once
  DSVMPOOL_RETRIES: '0',
};
let probe: ChildProcess;
let url = '';

beforeAll(async () => {
  probe = spawn('python3', [reporterScript, '--serve-probe'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: probe.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    probe.once('exit', (code) => reject(new Error(`--serve-probe exited with ${code}`)));
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { event: string; port?: number };
      if (event.event === 'probe-listening' && event.port) resolve(event.port);
    });
  });
  url = `http://127.0.0.1:${port}/`;
});
afterAll(() => {
  probe?.kill();
  rmSync(sandbox, { recursive: true, force: true });
});

const ask = async () => {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
};
const reporter = (...args: string[]) => spawnSync('python3', [reporterScript, ...args], { env, encoding: 'utf8', timeout: 30_000 });

describe('session_reporter.py --serve-probe', () => {
  it('answers 200 while the VM is not drained, 503 after --drain, 200 again after --undrain', async () => {
    expect(await ask()).toEqual({ status: 200, body: 'ok\n' });

    const drained = reporter('--drain', '--drain-minutes', '30');
    expect(drained.status, drained.stderr).toBe(0);
    expect(JSON.parse(drained.stdout)).toMatchObject({ drained: true });
    expect(await ask()).toEqual({ status: 503, body: 'draining\n' });

    const undrained = reporter('--undrain');
    expect(undrained.status, undrained.stderr).toBe(0);
    expect(await ask()).toEqual({ status: 200, body: 'ok\n' });
  });

  it('answers on any path, the one the load balancer probe names (requestPath /) included', async () => {
    const response = await fetch(new URL('/some/other/path', url));
    expect(response.status).toBe(200);
  });
});
