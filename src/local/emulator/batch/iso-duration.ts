// ISO-8601 durations as Batch uses them for maxWallClockTime, retentionTime and resizeTimeout ('PT2H', 'P1DT30M',
// 'PT0.5S'); Batch's "unlimited" is .NET's TimeSpan.MaxValue, 'P10675199DT2H48M5.4775807S'.
const pattern = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in `value`, or undefined when it is not an ISO-8601 duration. */
export function parseIsoDurationMs(value: string): number | undefined {
  const m = pattern.exec(value.trim());
  if (!m || value.trim() === 'P' || value.trim().endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (((((w ?? 0) * 7 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (min ?? 0)) * 60 + (s ?? 0)) * 1000;
}

export const UNLIMITED_DURATION = 'P10675199DT2H48M5.4775807S';
