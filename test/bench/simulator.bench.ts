// Simulated-time speed of the replay on a week-long trace, for our policy and each baseline: simulated seconds per
// wall second, side by side with the target (≥ 10,000× real time).
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { checkTarget } from './targets.js';
import { loadPolicy, loadTrace, poolModelFactory } from '../../src/local/simulator/simulate-files.js';
import { AutoscalerController } from '../../src/simulator/autoscaler-controller.js';
import { alwaysOn } from '../../src/simulator/baselines/always-on.js';
import { autostop } from '../../src/simulator/baselines/autostop.js';
import { cpuAutoscale, DEFAULT_CPU_RULES } from '../../src/simulator/baselines/cpu-autoscale.js';
import { DEFAULT_OFFICE_HOURS, officeHours } from '../../src/simulator/baselines/office-hours.js';
import { oracle } from '../../src/simulator/baselines/oracle.js';
import type { Controller } from '../../src/simulator/controller.js';
import { replay } from '../../src/simulator/replay.js';
import { DEFAULT_PRICES } from '../../src/simulator/run-metrics.js';
import { peakConcurrency } from '../../src/simulator/trace.js';

const TARGET = 10_000;
// Compiled to dist/test/bench/: the repository root is three folders up.
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface SimulatorBenchRow {
  policy: string;
  wallMs: number;
  speedFactor: number;
  ratioToTarget: number;
}

export async function bench(traceFile = join(REPO, 'traces', 'team-15-two-zones.jsonl'), repeats = 3): Promise<SimulatorBenchRow[]> {
  const trace = await loadTrace(traceFile);
  const policy = await loadPolicy(undefined);
  const seats = policy.seatsPerInstance;
  const peakVms = Math.max(1, Math.ceil(peakConcurrency(trace.sessions) / seats));
  const simulatedSeconds = (trace.period.end - trace.period.start) / 1000;
  const makers: [string, () => Controller][] = [
    ['dsvm-pool', () => new AutoscalerController(policy)],
    ['always-on', () => alwaysOn(peakVms)],
    ['office-hours', () => officeHours(peakVms, { ...DEFAULT_OFFICE_HOURS, timeZones: trace.timeZones ?? ['UTC'] })],
    ['cpu-autoscale', () => cpuAutoscale({ ...DEFAULT_CPU_RULES, maxInstances: policy.maxInstances }, 1)],
    ['autostop', () => autostop(peakVms, 30)],
  ];
  const newPool = poolModelFactory();
  const rows: SimulatorBenchRow[] = [];
  const time = (f: () => void): number => {
    let best = Infinity;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      f();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  for (const [name, make] of makers) {
    const wallMs = time(() => {
      const c = make();
      replay(trace, c, newPool(trace.period.start, c.initialPool ?? { capacity: 0, running: false }, 1), { seatsPerInstance: seats, prices: DEFAULT_PRICES });
    });
    rows.push(row(name, wallMs, simulatedSeconds));
  }
  rows.push(row('oracle', time(() => oracle(trace, seats, DEFAULT_PRICES)), simulatedSeconds));

  console.log(`simulator: ${traceFile.replace(REPO, '')}, ${(simulatedSeconds / 86_400).toFixed(1)} simulated days, ${trace.sessions.length} sessions (best of ${repeats})`);
  console.log('policy          wall ms   simulated s / wall s   × target (10,000×)');
  for (const r of rows) {
    console.log(`${r.policy.padEnd(14)} ${r.wallMs.toFixed(1).padStart(8)}   ${Math.round(r.speedFactor).toLocaleString('en-US').padStart(20)}   ${r.ratioToTarget.toFixed(0).padStart(8)}×`);
  }
  const slowest = rows.reduce((a, b) => (a.speedFactor <= b.speedFactor ? a : b));
  checkTarget({ name: `simulator speed, slowest policy (${slowest.policy})`, value: slowest.speedFactor, atLeast: TARGET, unit: '× real time' });
  return rows;
}

function row(policy: string, wallMs: number, simulatedSeconds: number): SimulatorBenchRow {
  const speedFactor = simulatedSeconds / (Math.max(wallMs, 0.001) / 1000);
  return { policy, wallMs, speedFactor, ratioToTarget: speedFactor / TARGET };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bench(process.argv[2]);
}
