// The `dsvm-pool` CLI end to end: the built command spawned as a process against the real stack (Azurite, the
// emulator, the host) over HTTP, a token from the emulator's Entra issuer (validated by the app), and one run under a
// pseudo-terminal (util-linux `script`) for the progress line.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/stack.js';
import { startJobsStack, type JobsStack } from '../jobs/jobs-stack.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('dsvm-pool CLI', () => {
  let s: JobsStack;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-cli-'));

  beforeAll(async () => {
    // The app validates Entra tokens as in Azure; the CLI asks the emulator's Entra issuer for one
    // (POST /_emulator/entra/token over HTTPS, trusting the emulator's CA).
    s = await startJobsStack();
    const caFile = join(dir, 'emulator-ca.pem');
    writeFileSync(caFile, s.emulator.caPem);
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      DSVMPOOL_URL: s.host.url,
      DSVMPOOL_EMULATOR_URL: s.emulator.url,
      DSVMPOOL_EMULATOR_CA_FILE: caFile,
      DSVMPOOL_USER: 'ann@example.com',
      DSVMPOOL_CONFIG: join(dir, 'none.json'),
    };
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin/dsvm-pool.js'), '--interval', '0.1', ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return { done, exited: () => child.exitCode !== null };
  };
  const cli = (...args: string[]) => start(args).done;
  /** Runs the CLI while moving simulated time, as a person waiting on a real pool would see it. */
  const cliWhileTicking = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = start(args, extraEnv);
    let finished = false;
    void run.done.then(() => (finished = true));
    for (let i = 0; i < 200 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!finished) await s.tick();
    }
    return run.done;
  };

  it('submits from flags, shows status and lists it; data on stdout, messages on stderr; the token comes from the token route', async () => {
    const sub = await cli('submit', '--name', 'cli-train', '--command', 'python train.py', '--cpus', '2', '-e', 'EMULATOR_TASK_SECONDS=30', '--json');
    expect(sub.code, sub.stderr).toBe(0);
    const job = JSON.parse(sub.stdout);
    expect(job).toMatchObject({ name: 'cli-train', state: 'queued', spec: { resources: { cpus: 2 } } });
    expect(sub.stderr).toContain(`submitted cli-train as ${job.id}`);
    expect(job.user).toBe('ann@example.com'); // who the token says, as the app validated it

    const status = await cli('status', job.id);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`cli-train (${job.id})`);
    const list = await cli('ls');
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATE\s+POOL\s+SUBMITTED\s+DETAIL$/);
    expect(list.stdout).toContain(job.id);
    expect(list.stdout).not.toContain('\x1b['); // not a terminal: no colour
    const json = JSON.parse((await cli('list', '--json')).stdout);
    expect(json.items.map((j: { id: string }) => j.id)).toContain(job.id);
  });

  it('submits a YAML job file with --wait and exits with the outcome; logs prints the output; wait exits 1 for a failed job', async () => {
    const file = join(dir, 'sweep.yaml');
    writeFileSync(file, ['name: sweep', 'commandLine: python sweep.py', 'array:', '  size: 3', 'env:', '  EMULATOR_TASK_SECONDS: "30"', '  EMULATOR_STDOUT: "hello from the sweep"', ''].join('\n'));
    const run = await cliWhileTicking(['submit', file, '--wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/sweep \(.+\)\s+succeeded\s+tasks 3\/3 done/);
    const id = /\(([0-9a-f]{12}-\d{13}-[0-9a-z]{6})\)/.exec(run.stdout)![1]!;
    expect(run.stderr).toMatch(/dispatched|running/); // state changes, one line each off a terminal
    const logs = await cli('logs', id, '--index', '2');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('(array index 2)');
    expect(logs.stdout).toContain('hello from the sweep\n');

    const bad = await cli('submit', '-n', 'doomed', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=10', '-e', 'EMULATOR_EXIT_CODE=4', '--json');
    const badId = JSON.parse(bad.stdout).id as string;
    const waited = await cliWhileTicking(['wait', badId]);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toContain('the command exited with code 4');
    expect((await cli('logs', badId, '--stream', 'stderr')).stdout).toBe('error: the command exited with code 4\n');
  });

  it('cancels a job; wait then exits 6', async () => {
    const sub = await cli('submit', '-n', 'long', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=3600', '--json');
    const id = JSON.parse(sub.stdout).id as string;
    const cancel = await cli('cancel', id);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`${id} cancel`));
    expect((await cli('wait', id)).code).toBe(6);
  });

  it('prints the problem detail, never a stack trace, with documented exit codes', async () => {
    const missing = await cli('status', '0123456789ab-1234567890123-abcdef');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe('error: no job 0123456789ab-1234567890123-abcdef that you can see (JOB_NOT_FOUND)\n');
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ name: 'typo', commandLine: 'x', resource: { gpus: 1 } }));
    const typo = await cli('submit', file);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown field(s) resource');
    const dep = await cli('submit', '-n', 'dep', '-c', 'x', '--depends-on', '0123456789ab-1234567890123-abcdef');
    expect(dep.code).toBe(2);
    expect(dep.stderr).toContain('error: dependsOn.0: no job 0123456789ab-1234567890123-abcdef of yours (DEPENDENCY_INVALID)');
    expect(dep.stderr).toContain('  dependsOn.0: no job');
    const noEndpoint = await start(['ls'], { DSVMPOOL_URL: '' }).done;
    expect(noEndpoint.code).toBe(2);
    for (const r of [missing, typo, dep, noEndpoint]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('reads and sets a pool policy, shows per-user usage, and refuses a bad policy naming the field', async () => {
    const get = await cli('--admin', 'policy', 'get', 'cpu', '--json');
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout).policy).toMatchObject({ kind: 'batch', poolId: 'cpu' });
    const file = join(dir, 'cpu.yaml');
    writeFileSync(file, 'kind: batch\npoolId: cpu\nmaxNodes: 3\nmaxQueuedJobsPerUser: 5\n');
    expect((await cli('--admin', 'policy', 'set', 'cpu', file)).stdout).toBe('policy of cpu saved\n');
    expect(JSON.parse((await cli('--admin', 'policy', 'get', 'cpu', '--json')).stdout).policy.maxQueuedJobsPerUser).toBe(5);
    writeFileSync(file, 'kind: batch\npoolId: cpu\nmaxNodes: -1\n');
    const bad = await cli('--admin', 'policy', 'set', 'cpu', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('  maxNodes: must be at least 0');
    const usage = await cli('--admin', 'usage', 'cpu', '--json');
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toMatchObject({ pool: 'cpu', users: expect.any(Array) });
  });

  it('shows a progress line under a pseudo-terminal', async () => {
    // util-linux `script` gives the CLI a terminal; its output (stdout and stderr together) is what a person sees.
    const command = [process.execPath, join(projectRoot, 'bin/dsvm-pool.js'), '--interval', '0.1', 'submit', '-n', 'tty-job', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=30', '--wait']
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'xterm', COLUMNS: '200' } });
    let seen = '';
    child.stdout.on('data', (c) => (seen += c));
    const done = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 200 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!finished) await s.tick();
    }
    expect(await done).toBe(0);
    // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is under test
    expect(seen).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] tty-job \(.+\)\s+.*(queued|dispatching|dispatched|running)/);
    // eslint-disable-next-line no-control-regex -- colour on a terminal
    expect(seen).toMatch(/\x1b\[32msucceeded\x1b\[0m/); // colour on a terminal
  });
});
