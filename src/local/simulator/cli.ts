// `npm run simulate -- --trace FILE [--policy FILE] [--baselines all|a,b] [--out DIR] [--seed N]`; the report goes
// to DIR (default out/simulator/<trace name>) as report.md, report.json and chart.svg.
// `npm run simulate -- generate [--preset NAME|all] [--out DIR]` writes the checked-in team traces.
// `npm run simulate -- sweep [--vary field=v1,v2 …] [--delays 0,60,180] [--seeds 1] …` studies candidate defaults.
// `npm run simulate -- bounds [--trace FILE …]` says what placement alone can reach on each trace.
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeProblem } from '../../simulator/trace-format.js';
import { parseBaselines } from '../../simulator/simulation.js';
import { renderMarkdown } from '../../simulator/report-markdown.js';
import { SimulatorError } from '../../simulator/errors.js';
import { generatePresets } from './generate-traces.js';
import { boundsMarkdown, placementBounds } from './placement-bounds-files.js';
import { simulateFiles } from './simulate-files.js';
import { parseGridArg, parseNumberList, sweepFiles } from './sweep-files.js';

/** The command people typed: `npm run simulate --`, or `dsvm-pool simulate` when the CLI runs this file. */
const COMMAND = process.env.DSVMPOOL_SIMULATE_COMMAND || 'npm run simulate --';
const USAGE = `usage:
  ${COMMAND} --trace FILE [--policy FILE] [--baselines all|none|always-on,office-hours,cpu-autoscale,autostop,oracle] [--out DIR] [--seed N] [--metric-delay SECONDS]
      (report.md, report.json, chart.svg in DIR; default out/simulator/<trace name>)
  ${COMMAND} generate [--preset NAME|all] [--out DIR] [--seed N]  (N: fresh weeks instead of the checked-in ones)
  ${COMMAND} sweep [--traces DIR] [--policy FILE] [--vary field=v1,v2 …] [--delays 0,60,180] [--seeds 1,2] [--top N] [--out DIR]
      (every combination of the --vary fields on every trace in DIR; sweep.md and sweep.json in DIR, default out/simulator/sweep)
  ${COMMAND} bounds [--trace FILE …] [--seats N] [--time-limit SECONDS]
      (VM-hours that placement alone reaches, no boot time or idle window: the oracle, the best placement that never
       moves anyone knowing everything in advance, and online depth-first; default: the checked-in traces)`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'generate') {
    const { values } = parseArgs({ args: argv.slice(1), options: { preset: { type: 'string', default: 'all' }, out: { type: 'string', default: 'traces' }, seed: { type: 'string' } } });
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new SimulatorError('OPTION_INVALID', `--seed must be a whole number, found "${values.seed}"`);
    for (const file of await generatePresets(values.preset, values.out, seed)) console.log(`wrote ${file}`);
    return 0;
  }
  if (argv[0] === 'sweep') return runSweep(argv.slice(1));
  if (argv[0] === 'bounds') return runBounds(argv.slice(1));
  const { values } = parseArgs({
    args: argv,
    options: {
      trace: { type: 'string' },
      policy: { type: 'string' },
      baselines: { type: 'string', default: 'all' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'metric-delay': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.trace) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new SimulatorError('OPTION_INVALID', `--seed must be a whole number, found "${values.seed}"`);
  const metricDelaySeconds = Number(values['metric-delay']);
  if (!(metricDelaySeconds >= 0 && metricDelaySeconds <= 600)) {
    throw new SimulatorError('OPTION_INVALID', `--metric-delay must be seconds between 0 and 600, found "${values['metric-delay']}"`);
  }
  const started = performance.now();
  const { result, files } = await simulateFiles({
    tracePath: values.trace,
    baselines: parseBaselines(values.baselines),
    seed,
    metricDelaySeconds,
    ...(values.policy ? { policyPath: values.policy } : {}),
    outDir: values.out ?? join('out', 'simulator', basename(values.trace, extname(values.trace))),
  });
  console.log(renderMarkdown(result));
  const wallSeconds = (performance.now() - started) / 1000;
  const simulatedSeconds = ((Date.parse(result.trace.periodEnd) - Date.parse(result.trace.periodStart)) / 1000) * result.runs.length;
  console.log(`replayed ${result.runs.length} runs in ${wallSeconds.toFixed(2)} s wall (${Math.round(simulatedSeconds / wallSeconds)}× real time)`);
  for (const f of files) console.log(`wrote ${f}`);
  return 0;
}

async function runBounds(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { trace: { type: 'string', multiple: true }, seats: { type: 'string', default: '4' }, 'time-limit': { type: 'string', default: '60' } },
  });
  const seats = Number(values.seats);
  if (!Number.isInteger(seats) || seats < 1 || seats > 64) throw new SimulatorError('OPTION_INVALID', `--seats must be a whole number from 1 to 64, found "${values.seats}"`);
  const timeLimit = Number(values['time-limit']);
  if (!(timeLimit > 0 && timeLimit <= 3600)) throw new SimulatorError('OPTION_INVALID', `--time-limit must be seconds from 1 to 3600, found "${values['time-limit']}"`);
  const traces = values.trace ?? ['team-8-one-zone.csv', 'team-15-two-zones.jsonl', 'deadline-week.csv'].map((f) => join('traces', f));
  console.log(boundsMarkdown(await placementBounds(traces, seats, timeLimit)));
  return 0;
}

async function runSweep(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      traces: { type: 'string', default: 'traces' },
      policy: { type: 'string' },
      vary: { type: 'string', multiple: true },
      delays: { type: 'string', default: '0,60,180' },
      seeds: { type: 'string', default: '1' },
      top: { type: 'string', default: '10' },
      out: { type: 'string', default: join('out', 'simulator', 'sweep') },
    },
  });
  const started = performance.now();
  const { choice, markdown, files } = await sweepFiles({
    tracesDir: values.traces,
    delaysSeconds: parseNumberList(values.delays, '--delays'),
    seeds: parseNumberList(values.seeds, '--seeds'),
    top: parseNumberList(values.top, '--top')[0] ?? 10,
    outDir: values.out,
    ...(values.policy ? { policyPath: values.policy } : {}),
    ...(values.vary ? { grid: Object.fromEntries(values.vary.map(parseGridArg)) } : {}),
  });
  console.log(markdown);
  const replays = choice.ranked.reduce((n, c) => n + c.runs.length, 0);
  console.log(`${choice.ranked.length} candidates, ${replays} replays in ${((performance.now() - started) / 1000).toFixed(1)} s wall`);
  for (const f of files) console.log(`wrote ${f}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SimulatorError || (error as { name?: string }).name === 'SimulatorError') {
      const e = error as SimulatorError;
      console.error(`${e.code}: ${e.message}`);
      if (e.problems.length > 0 && !e.message.includes(describeProblem(e.problems[0]!))) console.error(e.problems.map(describeProblem).join('\n'));
      process.exit(2);
    }
    const code = (error as { code?: string; path?: string }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      // A trace or policy file that cannot be read: which one and why, in one line (the usage is not the problem).
      const path = (error as { path?: string }).path;
      console.error(`cannot read ${path ?? 'the trace or policy file'}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory; name a .csv or .jsonl file' : 'permission denied'}`);
      process.exit(2);
    }
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
