// `npm run simulate -- bounds --trace FILE …`: what placement alone can reach on each trace (src/simulator/
// placement-bounds.ts), the no-move optimum solved with HiGHS (the `highs` dev dependency, HiGHS compiled to
// WebAssembly; loaded only here).
import { basename } from 'node:path';
import { oracle } from '../../simulator/baselines/oracle.js';
import { SimulatorError } from '../../simulator/errors.js';
import { greedyPlacementVmHours, noMoveModel, presenceOracleVmHours, presencesOf, stretchesOf } from '../../simulator/placement-bounds.js';
import { DEFAULT_PRICES } from '../../simulator/run-metrics.js';
import { loadTrace } from './simulate-files.js';

/** One trace's figures, in VM-hours. `noMove` is optimal unless `noMoveProven` is false (a solver time limit hit). */
export interface PlacementBounds {
  trace: string;
  sessionOracle: number;
  presenceOracle: number;
  noMove: number;
  noMoveProven: boolean;
  depthFirst: number;
  knownDepartures: number;
}

/** The part of HiGHS used here: solve a model in CPLEX LP format (`Status` "Optimal", "Time limit reached", …). */
export interface Highs {
  solve(model: string, options: Record<string, unknown>): { Status: string; ObjectiveValue: number };
}

/** Loads HiGHS (its ESM build's default export is the loader; its typings describe the CommonJS one). */
export async function loadHighs(): Promise<Highs> {
  try {
    const mod = (await import('highs')) as unknown as { default: () => Promise<Highs> } | (() => Promise<Highs>);
    return await (typeof mod === 'function' ? mod() : mod.default());
  } catch (error) {
    throw new SimulatorError('OPTION_INVALID', `bounds needs the dev dependency "highs" (run npm install in a checkout): ${(error as Error).message}`);
  }
}

/** Solves each trace's figures; a stretch's model gets `timeLimitSeconds` (then its best placement found counts). */
export async function placementBounds(paths: string[], seatsPerInstance: number, timeLimitSeconds: number): Promise<PlacementBounds[]> {
  const highs = await loadHighs();
  const out: PlacementBounds[] = [];
  for (const path of paths) {
    const trace = await loadTrace(path);
    const presences = presencesOf(trace);
    let noMove = 0;
    let noMoveProven = true;
    for (const stretch of stretchesOf(presences)) {
      const solution = highs.solve(noMoveModel(stretch, seatsPerInstance), { time_limit: timeLimitSeconds, mip_rel_gap: 1e-6, output_flag: false });
      if (solution.Status !== 'Optimal' && solution.Status !== 'Time limit reached') {
        throw new SimulatorError('OPTION_INVALID', `the no-move model of ${basename(path)} ended "${solution.Status}"`);
      }
      if (solution.Status !== 'Optimal') noMoveProven = false;
      noMove += solution.ObjectiveValue;
    }
    out.push({
      trace: basename(path),
      sessionOracle: oracle(trace, seatsPerInstance, DEFAULT_PRICES).vmHours,
      presenceOracle: presenceOracleVmHours(presences, seatsPerInstance),
      noMove,
      noMoveProven,
      depthFirst: greedyPlacementVmHours(presences, seatsPerInstance, 'depth-first'),
      knownDepartures: greedyPlacementVmHours(presences, seatsPerInstance, 'known-departures'),
    });
  }
  return out;
}

/** The figures as a Markdown table, each also as a multiple of the session oracle (the report's `oracle` row). */
export function boundsMarkdown(rows: PlacementBounds[]): string {
  const x = (v: number, o: number) => `${v.toFixed(1)} (${(v / o).toFixed(2)}×)`;
  return [
    '| trace | oracle (sessions) | oracle (people) | no move, all known | online depth-first | online, departures known |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) =>
      `| ${r.trace} | ${r.sessionOracle.toFixed(1)} | ${x(r.presenceOracle, r.sessionOracle)} | ${r.noMoveProven ? '' : '≤ '}${x(r.noMove, r.sessionOracle)} | ${x(r.depthFirst, r.sessionOracle)} | ${x(r.knownDepartures, r.sessionOracle)} |`,
    ),
    '',
    'VM-hours with no boot time and no idle window (× the session oracle). "≤": a stretch hit the time limit, so the best placement found counts.',
  ].join('\n');
}
