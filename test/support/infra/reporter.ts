// Runs infra/vm/session_reporter.py once, as the systemd timer does on a VM (or with --drain/--undrain, as Run
// Command does), and returns its JSON stdout lines.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { requireProgram } from './system-tools.js';

export const reporterScript = resolve(import.meta.dirname, '../../../infra/vm/session_reporter.py');

export interface ReporterRun {
  status: number | null;
  events: Record<string, unknown>[];
  stderr: string;
}

export function runReporter(env: Record<string, string>, args: string[] = []): Promise<ReporterRun> {
  const python = requireProgram('python3');
  return new Promise((done) => {
    const child = spawn(python, [reporterScript, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (status) => {
      const events = stdout
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      done({ status, events, stderr });
    });
  });
}
