// The default-policy study over files: every checked-in trace in a folder, a grid of policy fields, several
// metric delays and seeds; writes sweep.md and sweep.json (every candidate's runs) to a folder.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatorError } from '../../simulator/errors.js';
import { chooseDefault, DEFAULT_SWEEP_GRID, sweep, type FieldValue, type SweepChoice, type SweepGrid } from '../../simulator/policy-sweep.js';
import { renderSweepMarkdown } from '../../simulator/report-sweep.js';
import { defaultPolicy, policyFromJson } from '../../simulator/policy-file.js';
import { DEFAULT_TIMINGS } from '../emulator/compute/pool-model.js';
import { loadTrace, poolModelFactory } from './simulate-files.js';

export interface SweepFilesOptions {
  /** Folder whose *.csv and *.jsonl files are the traces; default traces. */
  tracesDir?: string;
  policyPath?: string;
  grid?: SweepGrid;
  delaysSeconds?: number[];
  seeds?: number[];
  top?: number;
  outDir?: string;
}

/** `field=v1,v2,…` → one grid entry; values read as booleans, numbers or strings like table cells. */
export function parseGridArg(text: string): [string, FieldValue[]] {
  const m = /^([A-Za-z]+)=(.+)$/.exec(text.trim());
  if (!m) throw new SimulatorError('OPTION_INVALID', `--vary must look like field=v1,v2 (e.g. spareSeats=0,1,2), found "${text}"`);
  const values = (m[2] as string).split(',').map((v): FieldValue => {
    const s = v.trim();
    if (s === 'true' || s === 'false') return s === 'true';
    return s !== '' && !Number.isNaN(Number(s)) ? Number(s) : s;
  });
  return [m[1] as string, values];
}

/** `0,60,180` or a range `1-30` (or both: `1-5,9`). */
export function parseNumberList(text: string, option: string): number[] {
  const list = text.split(',').flatMap((part) => {
    const range = /^\s*(\d+)-(\d+)\s*$/.exec(part);
    if (!range) return [Number(part.trim())];
    const [from, to] = [Number(range[1]), Number(range[2])];
    return to >= from && to - from < 1000 ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [NaN];
  });
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new SimulatorError('OPTION_INVALID', `${option} must be whole numbers ≥ 0 or ranges like 1-30, separated by commas, found "${text}"`);
  }
  return list;
}

/** The policy file's own fields (the grid varies the rest), after the same validation `simulate` gives it. */
async function readPolicyOverrides(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8');
  policyFromJson(text, path);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function sweepFiles(options: SweepFilesOptions = {}): Promise<{ choice: SweepChoice; markdown: string; files: string[] }> {
  const dir = options.tracesDir ?? 'traces';
  const names = (await readdir(dir)).filter((f) => /\.(csv|jsonl)$/.test(f)).sort();
  if (names.length === 0) throw new SimulatorError('OPTION_INVALID', `no *.csv or *.jsonl traces in ${dir}`);
  const traces = await Promise.all(names.map(async (name) => ({ name: name.replace(/\.(csv|jsonl)$/, ''), trace: await loadTrace(join(dir, name)) })));
  const base = options.policyPath ? await readPolicyOverrides(options.policyPath) : {};
  const grid = options.grid ?? DEFAULT_SWEEP_GRID;
  const results = sweep({
    traces,
    base,
    grid,
    newPool: poolModelFactory(DEFAULT_TIMINGS),
    bootSeconds: DEFAULT_TIMINGS.bootSeconds,
    ...(options.delaysSeconds ? { delaysSeconds: options.delaysSeconds } : {}),
    ...(options.seeds ? { seeds: options.seeds } : {}),
  });
  const choice = chooseDefault(results);
  const defaults = defaultPolicy() as unknown as Record<string, FieldValue>;
  const current = Object.fromEntries(Object.keys(grid).map((k) => [k, (base[k] as FieldValue | undefined) ?? defaults[k] as FieldValue]));
  const markdown = renderSweepMarkdown(choice, { current, bootSeconds: DEFAULT_TIMINGS.bootSeconds, ...(options.top ? { top: options.top } : {}) });
  const files: string[] = [];
  if (options.outDir) {
    await mkdir(options.outDir, { recursive: true });
    const md = join(options.outDir, 'sweep.md');
    const json = join(options.outDir, 'sweep.json');
    await writeFile(md, markdown);
    const numbers = { rule: choice.rule, killFreeExists: choice.killFreeExists, ranked: choice.ranked.map(({ policy: _policy, ...c }) => c) };
    await writeFile(json, `${JSON.stringify(numbers, null, 2)}\n`);
    files.push(md, json);
  }
  return { choice, markdown, files };
}
