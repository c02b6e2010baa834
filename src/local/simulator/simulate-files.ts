// The simulator's programmatic API over files: read a trace and a policy, replay them on the emulator's PoolModel
// against the baselines, and write report.md, report.json and chart.svg to a folder.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { VmssPolicy } from '../../autoscale/policy.js';
import { acceptanceChecks } from '../../simulator/acceptance.js';
import { defaultPolicy, policyFromJson } from '../../simulator/policy-file.js';
import { renderChart } from '../../simulator/report-chart.js';
import { renderMarkdown } from '../../simulator/report-markdown.js';
import { simulate, type BaselineName, type PoolFactory, type SimulationResult } from '../../simulator/simulation.js';
import { formatFromFileName, parseTrace } from '../../simulator/trace-format.js';
import type { Trace } from '../../simulator/trace.js';
import { DEFAULT_TIMINGS, type PoolTimings } from '../emulator/compute/pool-model.js';
import { PoolModelPort } from './pool-model-port.js';

export interface SimulateFilesOptions {
  tracePath: string;
  /** Omitted: the default policy (every field at its documented default). */
  policyPath?: string;
  baselines?: readonly BaselineName[];
  seed?: number;
  /** Where to write the report; omitted: nothing is written. */
  outDir?: string;
  timings?: Partial<PoolTimings>;
  metricDelaySeconds?: number;
}

/** A PoolFactory on the emulator's PoolModel. */
export function poolModelFactory(timings: Partial<PoolTimings> = {}): PoolFactory {
  return (start, initial, seed) =>
    new PoolModelPort({ capacity: initial.capacity, startRunning: initial.running, deallocated: !initial.running, seed, timings }, start);
}

export async function loadTrace(path: string): Promise<Trace> {
  return parseTrace(await readFile(path, 'utf8'), formatFromFileName(path));
}

export async function loadPolicy(path: string | undefined): Promise<VmssPolicy> {
  return path === undefined ? defaultPolicy() : policyFromJson(await readFile(path, 'utf8'), path);
}

export async function simulateFiles(options: SimulateFilesOptions): Promise<{ result: SimulationResult; files: string[] }> {
  const trace = await loadTrace(options.tracePath);
  const policy = await loadPolicy(options.policyPath);
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const result = simulate({
    trace,
    policy,
    newPool: poolModelFactory(timings),
    bootSeconds: timings.bootSeconds,
    traceName: basename(options.tracePath),
    ...(options.baselines ? { baselines: options.baselines } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.metricDelaySeconds !== undefined ? { metricDelaySeconds: options.metricDelaySeconds } : {}),
  });
  const files = options.outDir ? await writeReport(result, options.outDir) : [];
  return { result, files };
}

export async function writeReport(result: SimulationResult, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files = { md: join(outDir, 'report.md'), json: join(outDir, 'report.json'), svg: join(outDir, 'chart.svg') };
  const numbers = { ...result, runs: result.runs.map(({ timeline: _timeline, ...figures }) => figures), checks: acceptanceChecks(result) };
  await writeFile(files.md, renderMarkdown(result, 'chart.svg'));
  await writeFile(files.json, `${JSON.stringify(numbers, null, 2)}\n`);
  await writeFile(files.svg, renderChart(result));
  return Object.values(files);
}
