// `npm run simulate -- bounds`: the built command on a small trace file, and its refusal of bad options.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const simulate = (...args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'dist/src/local/simulator/cli.js'), ...args], { cwd: projectRoot, encoding: 'utf8' });

describe('simulate bounds', () => {
  it('prints the oracle, the no-move optimum and online depth-first for a trace, as hours and multiples of the oracle', () => {
    // Seats 2: A 0–10 h, B 0–2 h, C 1–10 h → oracle 11 h; A and C together, B alone → 12 h; depth-first → 19 h.
    const dir = mkdtempSync(join(tmpdir(), 'bounds-'));
    const file = join(dir, 'late.csv');
    const at = (h: number) => new Date(Date.UTC(2026, 2, 2, 8) + h * 3_600_000).toISOString();
    writeFileSync(file, ['user,kind,start,end', `a,jupyter,${at(0)},${at(10)}`, `b,ssh,${at(0)},${at(2)}`, `c,jupyter,${at(1)},${at(10)}`, ''].join('\n'));
    const run = simulate('bounds', '--trace', file, '--seats', '2');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('| late.csv | 11.0 | 11.0 (1.00×) | 12.0 (1.09×) | 19.0 (1.73×) | 19.0 (1.73×) |');
  });

  it.each([
    [['--seats', '0'], '--seats must be a whole number from 1 to 64, found "0"'],
    [['--time-limit', 'soon'], '--time-limit must be seconds from 1 to 3600, found "soon"'],
    [['--trace', 'traces/nope.csv'], 'cannot read traces/nope.csv: no such file'],
    // Node's EISDIR names no path.
    [['--trace', 'traces'], 'cannot read the trace or policy file: it is a directory; name a .csv or .jsonl file'],
  ])('refuses %j with exit 2 and says why', (args, message) => {
    const run = simulate('bounds', ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
