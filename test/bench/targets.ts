// Documented targets of the benchmarks, judged where they are measured: each check prints PASS or MISS beside the
// figure, and `npm run bench -- --check` exits non-zero when any target was missed, so a regression is visible
// without reading numbers. The targets themselves live in the bench that measures them (and in README
// "Benchmarks"); this module only judges and remembers.

/** A figure and its documented bound: `atMost` (lower is better) or `atLeast` (higher is better). */
export interface TargetCheck {
  /** What was measured, e.g. "ARM+Monitor calls per pool (8 concurrent)". */
  name: string;
  value: number;
  atMost?: number;
  atLeast?: number;
  /** Unit printed after the numbers, e.g. "ms", "×", "calls". */
  unit?: string;
}

export interface TargetResult extends TargetCheck {
  pass: boolean;
}

const results: TargetResult[] = [];

/** Judges one figure against its target, prints `PASS`/`MISS` with both numbers, and returns whether it passed. */
export function checkTarget(check: TargetCheck): boolean {
  if (check.atMost === undefined && check.atLeast === undefined) throw new Error(`target "${check.name}" has no bound`);
  const pass = Number.isFinite(check.value) && (check.atMost === undefined || check.value <= check.atMost) && (check.atLeast === undefined || check.value >= check.atLeast);
  results.push({ ...check, pass });
  const unit = check.unit ? ` ${check.unit}` : '';
  const bound = check.atMost !== undefined ? `≤ ${check.atMost}` : `≥ ${check.atLeast}`;
  console.log(`${pass ? 'PASS' : 'MISS'}  ${check.name}: ${formatNumber(check.value)}${unit} (target ${bound}${unit})`);
  return pass;
}

/** Every target judged so far in this process. */
export function targetResults(): readonly TargetResult[] {
  return results;
}

function formatNumber(n: number): string {
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toPrecision(3)));
}
