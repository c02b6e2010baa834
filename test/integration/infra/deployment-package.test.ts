// The deployment package `azd deploy` uploads, built the way deploy builds it (infra/scripts/package.mjs, the
// service's prepackage hook): production dependencies only, no local stack, and every function entry file still
// loads from it with Node alone (a missing production dependency would fail the import, as in Azure).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const node = join(root, 'node_modules/.bin/node');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
let out = '';
let summary: { files: number; bytes: number };

beforeAll(() => {
  out = join(mkdtempSync(join(tmpdir(), 'dsvm-package-')), 'deploy');
  const run = spawnSync(node, ['infra/scripts/package.mjs', '--out', out], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as typeof summary;
});
afterAll(() => rmSync(resolve(out, '..'), { recursive: true, force: true }));

describe('deployment package', () => {
  it('holds every production dependency and no devDependency', () => {
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(out, 'node_modules', dep)), dep).toBe(true);
    for (const dep of Object.keys(pkg.devDependencies)) expect(existsSync(join(out, 'node_modules', dep)), dep).toBe(false);
    const shipped = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(shipped.devDependencies).toBeUndefined();
    expect(shipped.main).toBe('dist/src/functions/*.js');
  });

  it('leaves out the local stack, source maps and type declarations', () => {
    expect(existsSync(join(out, 'dist/src/local'))).toBe(false);
    expect(existsSync(join(out, 'dist/src/functions'))).toBe(true);
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [e.name]));
    expect(walk(out).filter((f) => /\.(map|d\.ts)$/.test(f))).toEqual([]);
  });

  it('carries the dashboard page beside the compiled app (dist/web, as src/web/assets.ts reads it)', () => {
    expect(existsSync(join(out, 'dist/web/index.html'))).toBe(true);
    expect(readdirSync(join(out, 'dist/web/assets')).filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
  });

  it('is under 60 MB unpacked (npm run bench -- package prints the zip size too)', () => {
    expect(summary.bytes).toBeLessThan(60 * 1024 * 1024);
  });

  it('loads every function entry file with production dependencies alone', () => {
    const entries = readdirSync(join(out, 'dist/src/functions')).filter((f) => f.endsWith('.js'));
    expect(entries.length).toBeGreaterThan(3);
    const script = `for (const f of ${JSON.stringify(entries)}) await import('./dist/src/functions/' + f);`;
    const run = spawnSync(node, ['--input-type=module', '-e', script], { cwd: out, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
    expect(run.status, run.stderr).toBe(0);
  });
});
