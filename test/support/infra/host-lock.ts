// Serializes test files that count machine-wide processes (JupyterHub single-user servers are found from /proc,
// as on a VM), so one file's servers are not counted by another file running in parallel.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits until this process holds the lock named `name`; returns its release. A dead holder's lock is taken over. */
export async function hostLock(name: string, timeoutMs = 300_000): Promise<() => void> {
  const path = join(tmpdir(), `dsvm-pool-${name}.lock`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(path, 'pid'), 'utf8'));
      } catch {
        // being created or released right now
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(path, { recursive: true, force: true });
    }
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for the test lock ${path}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
