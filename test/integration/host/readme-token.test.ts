// The README's token example and the token command `npm start` prints work as written: run with bash, curl and jq
// against a real `npm start` (random ports and its own state folder, substituted into the commands).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/stack.js';

const run = promisify(execFile);
let child: ChildProcess;
let dir: string;
let output = '';
let hostUrl: string;
let emulatorUrl: string;

beforeAll(async () => {
  for (const tool of ['/usr/bin/curl', '/usr/bin/jq']) expect(existsSync(tool), `needs ${tool}: apt-get install -y curl jq`).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'dsvm-readme-'));
  child = spawn(process.execPath, [join(projectRoot, 'dist/src/local/stack.js')], {
    cwd: dir,
    env: { ...process.env, DSVMPOOL_LOCAL_DIR: dir, DSVMPOOL_LOCAL_PORTS: 'random' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Ctrl-C stops everything/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  hostUrl = /API\s+(http:\/\/\S+)\/api\/health/.exec(output)![1]!;
  emulatorUrl = /Emulator\s+(https:\/\/\S+)/.exec(output)![1]!;
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bash = async (script: string) => (await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, timeout: 30_000 })).stdout;

describe('getting a token, as documented', () => {
  it('runs the README Quick start token example', async () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const block = /<!-- example:token[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- \/example:token -->/.exec(readme)?.[1];
    expect(block, 'README has the example:token block').toBeTruthy();
    const script = block!
      .replaceAll('https://127.0.0.1:7443', emulatorUrl)
      .replaceAll('http://localhost:7071', hostUrl)
      .replaceAll('.local/emulator-ca.pem', join(dir, '.local', 'emulator-ca.pem'));
    expect((await bash(script)).trim().split('\n')).toEqual(['"dsvm-demo"', '0', expect.stringMatching(/^\d+$/)]);
  });

  it('runs the token command the npm start banner prints', async () => {
    const lines = output.split('\n');
    const at = lines.findIndex((l) => l.includes('TOKEN=$(curl'));
    expect(at, output).toBeGreaterThan(0);
    const script = lines.slice(at, at + 3).map((l) => l.trim()).join('\n').replace(/\/api\/pools$/, '/api/pools -s -o /dev/null -w "%{http_code}"');
    expect(await bash(script)).toBe('200');
  });
});
