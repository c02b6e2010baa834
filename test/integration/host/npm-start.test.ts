// The `npm start` entry point (dist/src/local/stack.js) as a user runs it: a first 200 from /api/health, Ctrl-C
// (SIGINT) stops it and every process it started; a taken port stops start-up at once, naming the port; --help,
// --empty and the log format and level. Its state
// and ports are moved out of the way of a developer's own `npm start` (DSVMPOOL_LOCAL_DIR, DSVMPOOL_LOCAL_PORTS).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/stack.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function startStack(
  ports: string,
  settings?: Record<string, string>,
  args: string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<number | null>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-npm-start-'));
  dirs.push(dir);
  if (settings) writeFileSync(join(dir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: settings }));
  const child = spawn(process.execPath, [join(projectRoot, 'dist/src/local/stack.js'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, DSVMPOOL_LOCAL_DIR: dir, DSVMPOOL_LOCAL_PORTS: ports },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited, dir };
}

/** Pids whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm start (the local stack entry point)', () => {
  it('serves a healthy /api/health, then stops everything it started on Ctrl-C', async () => {
    const stack = startStack('random');
    await expect.poll(() => /API\s+(http:\/\/\S+)\/api\/health/.exec(stack.output())?.[1], { timeout: 45_000, interval: 200 }).toBeTruthy();
    const base = /API\s+(http:\/\/\S+)\/api\/health/.exec(stack.output())![1]!;
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('healthy');
    expect(existsSync(join(stack.dir, 'local.settings.json'))).toBe(true); // created from the sample
    const started = childPids(stack.child.pid!);
    expect(started.length).toBeGreaterThan(0); // Azurite at least

    stack.child.kill('SIGINT');
    expect(await stack.exited).toBe(0);
    for (const pid of started) expect(alive(pid), `process ${pid} left behind`).toBe(false);
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  });

  it('fails fast with the taken port in the message', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const stack = startStack(`${port}:0:0:0:0`);
      expect(await stack.exited).toBe(1);
      expect(stack.output()).toContain(`Port already in use: ${port} (the Functions host)`);
    } finally {
      blocker.close();
    }
  });

  it('npm start (scripts/start.mjs) builds nothing when the build is up to date, and counts the build in its start time', async () => {
    const buildInfo = join(projectRoot, 'dist/.tsbuildinfo');
    const before = statSync(buildInfo).mtimeMs;
    const dir = mkdtempSync(join(tmpdir(), 'dsvm-npm-start-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [join(projectRoot, 'scripts/start.mjs'), '--empty'], {
      cwd: projectRoot,
      env: { ...process.env, DSVMPOOL_LOCAL_DIR: dir, DSVMPOOL_LOCAL_PORTS: 'random' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await expect.poll(() => /Started in [\d.]+ s \(build [\d.]+, load [\d.]+, Azurite/.test(out), { timeout: 60_000, interval: 200 }).toBe(true);
    expect(statSync(buildInfo).mtimeMs).toBe(before);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('--help lists the options and starts nothing', async () => {
    const stack = startStack('random', undefined, ['--help']);
    expect(await stack.exited).toBe(0);
    for (const option of ['--persist', '--empty', '--log-level', '--log-format']) expect(stack.output()).toContain(option);
    expect(existsSync(join(stack.dir, 'local.settings.json'))).toBe(false);
  });

  it('--empty seeds nothing; logs are JSON lines in a pipe, and idle timer runs are debug-level', async () => {
    const stack = startStack('random', undefined, ['--empty', '--log-level', 'debug']);
    await expect.poll(() => /API\s+(http:\/\/\S+)\/api\/health/.exec(stack.output())?.[1], { timeout: 45_000, interval: 200 }).toBeTruthy();
    const base = /API\s+(http:\/\/\S+)\/api\/health/.exec(stack.output())![1]!;
    const pools = await fetch(`${base}/api/pools`, { headers: await emulatorToken(stack.dir, stack.output(), 'alice@example.com') });
    expect(await pools.json()).toEqual({ items: [] });
    const timerRuns = () =>
      stack.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.kind === 'invocation' && e.trigger === 'timer');
    // The sample settings run both timers every 5 s; with nothing to do, each run is debug-level.
    await expect.poll(() => new Set(timerRuns().map((e) => e.function)).size, { timeout: 30_000, interval: 500 }).toBe(2);
    expect(timerRuns().map((e) => e.level)).toEqual(timerRuns().map(() => 'debug'));
    const banner = stack.output().indexOf('dsvm-pool is running locally');
    const after = stack.output().slice(stack.output().indexOf('\n\n', banner) + 2).split('\n').filter(Boolean);
    for (const line of after) expect(() => JSON.parse(line), line).not.toThrow();
    expect(stack.output()).toContain('Demo data  none (--empty)');
    stack.child.kill('SIGINT');
    expect(await stack.exited).toBe(0);
  });

  it('stops before starting anything when a setting is malformed, naming it', async () => {
    const sample = JSON.parse(readFileSync(join(projectRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };
    const stack = startStack('random', { ...sample.Values, DSVMPOOL_AUTOSCALE_SCHEDULE: '*/5 * * * *' });
    expect(await stack.exited).toBe(1);
    expect(stack.output()).toMatch(/DSVMPOOL_AUTOSCALE_SCHEDULE: must be an NCRONTAB expression with 6 fields/);
    expect(stack.output()).not.toContain('Azurite');
  });
});

/** An Entra access token for `user` from the started stack's emulator (its URL from the banner, its CA in the state folder). */
async function emulatorToken(dir: string, output: string, user: string): Promise<Record<string, string>> {
  const { request } = await import('node:https');
  const { readFileSync } = await import('node:fs');
  const emulatorUrl = /Emulator\s+(https:\/\/\S+)/.exec(output)![1]!;
  const ca = readFileSync(join(dir, '.local', 'emulator-ca.pem'));
  const body = JSON.stringify({ user, roles: ['DsvmPool.User'] });
  const token = await new Promise<string>((resolve, reject) => {
    const req = request(`${emulatorUrl}/_emulator/entra/token`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve((JSON.parse(text) as { access_token: string }).access_token));
    });
    req.on('error', reject);
    req.end(body);
  });
  return { authorization: `Bearer ${token}` };
}
