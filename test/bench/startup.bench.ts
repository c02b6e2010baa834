// Start-up: wall time from spawning `npm start`'s entry (scripts/start.mjs: incremental build, then Azurite, emulator,
// storage, demo data, host) to the first 200 from /api/health, and to a clean exit after SIGINT; cold (a source file
// changed since the last build) and warm (nothing changed); and the import time of each of the app's entry files.
// Every run uses free ports and its own state folder, so a developer's own `npm start` may keep running.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTarget } from './targets.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const WARM_RUNS = 3;
/** The file a cold run changes (a comment line, put back afterwards): imported by most of the app. */
const CHANGED = join(root, 'src/clock.ts');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).status === 200;
  } catch {
    return false;
  }
}

interface StartRun {
  toHealthyMs: number;
  toExitMs: number;
  exitCode: number | null;
  /** The stack's own "Started in … (phase s, …)" banner line. */
  phases: string;
}

async function startOnce(): Promise<StartRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-bench-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, DSVMPOOL_LOCAL_DIR: dir, DSVMPOOL_LOCAL_PORTS: 'random', DSVMPOOL_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let toHealthyMs = NaN;
  try {
    while (performance.now() - started < 180_000) {
      if (child.exitCode !== null) throw new Error(`npm start exited early: ${stderr}`);
      const api = /API\s+(http:\/\/\S+)\/api\/health/.exec(stdout)?.[1];
      if (api && (await healthy(`${api}/api/health`))) {
        toHealthyMs = performance.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const stopAt = performance.now();
    child.kill('SIGINT');
    const exitCode = await exited;
    if (Number.isNaN(toHealthyMs)) throw new Error(`no 200 from /api/health within 180 s: ${stderr}`);
    const phases = /Started in ([^\n]*?)\. Ctrl-C/.exec(stdout)?.[1] ?? '?';
    return { toHealthyMs, toExitMs: performance.now() - stopAt, exitCode, phases };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A cold start: one comment line added to a source file that most of the app imports, put back afterwards. */
async function coldStart(): Promise<StartRun> {
  const original = readFileSync(CHANGED, 'utf8');
  try {
    writeFileSync(CHANGED, `${original}// startup bench ${Date.now()}\n`);
    return await startOnce();
  } finally {
    writeFileSync(CHANGED, original);
    // Back to an up-to-date build, so the warm runs build nothing (not timed).
    spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  }
}

async function entryLoadTimes(): Promise<{ entries: { file: string; loadMs: number }[]; hostStartMs: number }> {
  const child = spawn(process.execPath, ['dist/test/bench/startup-load.js'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out.trim().split('\n').at(-1)!) as { entries: { file: string; loadMs: number }[]; hostStartMs: number };
}

export async function bench(): Promise<void> {
  const cold = await coldStart();
  const warm: StartRun[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await startOnce());
  const runs = [cold, ...warm];
  const healthyMs = warm.map((r) => r.toHealthyMs);
  console.log(`| measure | cold (after a change) | ${warm.map((_, i) => `warm ${i + 1}`).join(' | ')} | warm median |`);
  console.log(`| --- | --- | ${warm.map(() => '---').join(' | ')} | --- |`);
  console.log(`| spawn → first 200 /api/health (ms) | ${cold.toHealthyMs.toFixed(0)} | ${healthyMs.map((x) => x.toFixed(0)).join(' | ')} | ${median(healthyMs).toFixed(0)} |`);
  console.log(`| SIGINT → exit (ms) | ${cold.toExitMs.toFixed(0)} | ${warm.map((r) => r.toExitMs.toFixed(0)).join(' | ')} | ${median(warm.map((r) => r.toExitMs)).toFixed(0)} |`);
  console.log(`| exit code | ${runs.map((r) => String(r.exitCode)).join(' | ')} | |`);
  console.log(`cold / warm median: ${(cold.toHealthyMs / median(healthyMs)).toFixed(2)}×`);
  runs.forEach((r, i) => console.log(`${i === 0 ? 'cold' : `warm ${i}`}: started in ${r.phases}`));
  // Issue 11: `npm start` on an up-to-date build answers /api/health within 5 s.
  checkTarget({ name: 'warm npm start → first 200 /api/health (median)', value: median(healthyMs), atMost: 5000, unit: 'ms' });

  const load = await entryLoadTimes();
  const total = load.entries.reduce((s, e) => s + e.loadMs, 0);
  console.log('\n| entry file | import (ms) | share of all entries |');
  console.log('| --- | --- | --- |');
  for (const e of load.entries) console.log(`| ${e.file} | ${e.loadMs.toFixed(1)} | ${((e.loadMs / total) * 100).toFixed(0)}% |`);
  console.log(`| all entry files | ${total.toFixed(1)} | 100% |`);
  console.log(`\nhost start (load + index, no storage) ${load.hostStartMs.toFixed(0)} ms; entry imports are ${((total / median(healthyMs)) * 100).toFixed(0)}% of the warm median spawn → healthy time.`);
}
