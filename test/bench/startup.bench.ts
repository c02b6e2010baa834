// Start-up: wall time from spawning the `npm start` entry (dist/src/local/stack.js: Azurite, emulator, storage,
// demo data, host) to the first 200 from /api/health, and to a clean exit after SIGINT; and the import time of each
// of the app's entry files. Uses npm start's fixed ports, so nothing else may be listening on 7071/7443/10000-10002.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const RUNS = 3;

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
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/src/local/stack.js'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let toHealthyMs = NaN;
  while (performance.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`npm start exited early: ${stderr}`);
    if (await healthy('http://127.0.0.1:7071/api/health')) {
      toHealthyMs = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const stopAt = performance.now();
  child.kill('SIGINT');
  const exitCode = await exited;
  if (Number.isNaN(toHealthyMs)) throw new Error(`no 200 from /api/health within 60 s: ${stderr}`);
  const phases = /Started in ([^\n]*?)\. Ctrl-C/.exec(stdout)?.[1] ?? '?';
  return { toHealthyMs, toExitMs: performance.now() - stopAt, exitCode, phases };
}

async function entryLoadTimes(): Promise<{ entries: { file: string; loadMs: number }[]; hostStartMs: number }> {
  const child = spawn(process.execPath, ['dist/test/bench/startup-load.js'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out.trim().split('\n').at(-1)!) as { entries: { file: string; loadMs: number }[]; hostStartMs: number };
}

export async function bench(): Promise<void> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce());
  const healthyMs = runs.map((r) => r.toHealthyMs);
  const exitMs = runs.map((r) => r.toExitMs);
  console.log('| measure | ' + runs.map((_, i) => `run ${i + 1}`).join(' | ') + ' | median |');
  console.log('| --- | ' + runs.map(() => '---').join(' | ') + ' | --- |');
  console.log(`| spawn → first 200 /api/health (ms) | ${healthyMs.map((x) => x.toFixed(0)).join(' | ')} | ${median(healthyMs).toFixed(0)} |`);
  console.log(`| SIGINT → exit (ms) | ${exitMs.map((x) => x.toFixed(0)).join(' | ')} | ${median(exitMs).toFixed(0)} |`);
  console.log(`| exit code | ${runs.map((r) => String(r.exitCode)).join(' | ')} | |`);
  runs.forEach((r, i) => console.log(`run ${i + 1}: ready ${r.phases}`));

  const load = await entryLoadTimes();
  const total = load.entries.reduce((s, e) => s + e.loadMs, 0);
  console.log('\n| entry file | import (ms) | share of all entries |');
  console.log('| --- | --- | --- |');
  for (const e of load.entries) console.log(`| ${e.file} | ${e.loadMs.toFixed(1)} | ${((e.loadMs / total) * 100).toFixed(0)}% |`);
  console.log(`| all entry files | ${total.toFixed(1)} | 100% |`);
  console.log(`\nhost start (load + index, no storage) ${load.hostStartMs.toFixed(0)} ms; entry imports are ${((total / median(healthyMs)) * 100).toFixed(0)}% of the median spawn → healthy time.`);
}
