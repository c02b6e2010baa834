import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'emulator-main-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function getJson(url: string, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(JSON.parse(text)));
    })
      .on('error', reject)
      .end();
  });
}

describe('npm run emulator (dist/src/local/emulator/main.js)', () => {
  it('starts alone with the demo scale set and the Batch pools, and prints its URL and CA file', async () => {
    const infoFile = join(dir, 'emulator.json');
    child = spawn(process.execPath, ['dist/src/local/emulator/main.js'], { env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_INFO_FILE: infoFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('state: curl')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
    });
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { url: string; caFile: string };
    expect(out).toContain(`dsvm-pool emulator at ${info.url}`);
    expect(out).toContain(`CA certificate: ${info.caFile}`);
    const state = (await getJson(`${info.url}/_emulator/state`, readFileSync(info.caFile, 'utf8'))) as { clock: string; scaleSets: { name: string; capacity: number }[]; batch: { pools: { id: string }[] } };
    expect(state.clock).toBe('scaled');
    expect(state.scaleSets.map((s) => [s.name, s.capacity])).toEqual([['dsvm-demo', 0]]);
    expect(state.batch.pools.map((p) => p.id)).toEqual(['gpu', 'cpu']);
  });
});
