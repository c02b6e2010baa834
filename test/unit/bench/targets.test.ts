// Benchmarks judge their documented targets: PASS/MISS beside the figure, and `npm run bench -- --check` exits
// non-zero when a target is missed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkTarget, targetResults } from '../../bench/targets.js';
import { projectRoot } from '../../support/stack.js';

describe('checkTarget', () => {
  it.each([
    [{ value: 3, atMost: 3 }, true],
    [{ value: 3.01, atMost: 3 }, false],
    [{ value: 10_000, atLeast: 10_000 }, true],
    [{ value: 9_999, atLeast: 10_000 }, false],
    [{ value: Number.NaN, atMost: 3 }, false],
  ])('%j → pass %s, printed as PASS/MISS', (bound, pass) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(checkTarget({ name: 'figure', unit: 'calls', ...bound })).toBe(pass);
    expect(log.mock.calls[0]![0]).toMatch(pass ? /^PASS {2}figure: / : /^MISS {2}figure: /);
    log.mockRestore();
    expect(targetResults().at(-1)).toMatchObject({ name: 'figure', pass });
  });

  it('refuses a check without a bound', () => {
    expect(() => checkTarget({ name: 'x', value: 1 })).toThrow(/no bound/);
  });
});

describe('npm run bench -- --check', () => {
  // The compiled runner (dist/, built by the test set-up) over a folder holding one bench that misses or meets its
  // target; the bench imports the same compiled targets module the runner reads.
  const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const runner = join(projectRoot, 'dist', 'test', 'bench', 'run.js');
  const targets = pathToFileURL(join(projectRoot, 'dist', 'test', 'bench', 'targets.js')).href;
  const run = (value: number, args: string[]) => {
    writeFileSync(join(dir, 'fake.bench.js'), `import { checkTarget } from '${targets}';\nexport async function bench() { checkTarget({ name: 'fake', value: ${value}, atMost: 3 }); }\n`);
    return spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', env: { ...process.env, DSVMPOOL_BENCH_DIR: dir } });
  };

  it('exits non-zero with --check when a target is missed, and 0 without --check', () => {
    const checked = run(4, ['--check']);
    expect(checked.stdout).toContain('MISS  fake');
    expect(checked.status).not.toBe(0);
    expect(run(4, []).status).toBe(0);
  });

  it('exits 0 with --check when every target is met', () => {
    const met = run(2, ['--check']);
    expect(met.stdout).toContain('PASS  fake');
    expect(met.status).toBe(0);
  });
});
