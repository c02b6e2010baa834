// A hand-written SVG chart: one panel per policy, demand (sessions) against capacity (running VMs × seats) over
// the period, with day lines. No chart library: polylines over the timeline buckets.
import type { SimulationResult } from './simulation.js';

const WIDTH = 1000;
const PANEL = 120;
const GAP = 28;
const LEFT = 40;
const DAY = 86_400_000;

export function renderChart(result: SimulationResult): string {
  const start = Date.parse(result.trace.periodStart);
  const end = Date.parse(result.trace.periodEnd);
  const maxY = Math.max(1, ...result.runs.flatMap((r) => r.timeline.map((p) => Math.max(p.demand, p.seats))));
  const x = (t: number): number => LEFT + ((t - start) / Math.max(1, end - start)) * (WIDTH - LEFT - 10);
  const height = result.runs.length * (PANEL + GAP) + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="14" font-size="13">${escape(result.trace.name)}: demand (sessions, orange) vs capacity (running VMs × ${result.seatsPerInstance} seats, blue)</text>`,
  ];
  result.runs.forEach((run, i) => {
    const top = 30 + i * (PANEL + GAP);
    const y = (v: number): number => top + PANEL - (v / maxY) * PANEL;
    parts.push(`<text x="${LEFT}" y="${top + 10}" font-weight="bold">${escape(run.policy)} — ${run.vmHours.toFixed(1)} VM-h, $${run.cost.total.toFixed(2)}, ${run.killedSessions} killed, p95 wait ${run.waits.p95Seconds.toFixed(0)} s</text>`);
    parts.push(`<line x1="${LEFT}" y1="${top + PANEL}" x2="${WIDTH - 10}" y2="${top + PANEL}" stroke="#999"/>`);
    parts.push(`<text x="${LEFT - 4}" y="${y(maxY) + 4}" text-anchor="end">${maxY}</text><text x="${LEFT - 4}" y="${top + PANEL}" text-anchor="end">0</text>`);
    for (let d = start; d <= end; d += DAY) {
      parts.push(`<line x1="${x(d).toFixed(1)}" y1="${top + 14}" x2="${x(d).toFixed(1)}" y2="${top + PANEL}" stroke="#eee"/>`);
      if (d < end) parts.push(`<text x="${(x(d) + 3).toFixed(1)}" y="${top + PANEL + 12}" fill="#666">${dayLabel(d)}</text>`);
    }
    parts.push(step(run.timeline.map((p) => [x(p.t), y(p.seats)]), '#1f77b4', `fill="#1f77b4" fill-opacity="0.15"`, top + PANEL));
    parts.push(step(run.timeline.map((p) => [x(p.t), y(p.demand)]), '#ff7f0e', 'fill="none"'));
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** The period starts at local midnight; noon UTC of that day names the local date for zones within ±12 h. */
function dayLabel(dayStart: number): string {
  const noon = new Date(dayStart + DAY / 2);
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][noon.getUTCDay()]} ${noon.toISOString().slice(5, 10)}`;
}

/** A step line through the points (corners only where the value changes); with `baseline`, closed down to it. */
function step(points: [number, number][], color: string, fill: string, baseline?: number): string {
  if (points.length === 0) return '';
  const coords: string[] = [];
  points.forEach(([px, py], i) => {
    const prev = points[i - 1];
    if (prev && prev[1] === py && i < points.length - 1) return;
    if (prev) coords.push(`${px.toFixed(1)},${prev[1].toFixed(1)}`);
    coords.push(`${px.toFixed(1)},${py.toFixed(1)}`);
  });
  if (baseline !== undefined) {
    const last = points[points.length - 1] as [number, number];
    const first = points[0] as [number, number];
    coords.push(`${last[0].toFixed(1)},${baseline}`, `${first[0].toFixed(1)},${baseline}`);
    return `<polygon points="${coords.join(' ')}" stroke="${color}" stroke-width="1" ${fill}/>`;
  }
  return `<polyline points="${coords.join(' ')}" stroke="${color}" stroke-width="1.2" ${fill}/>`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
