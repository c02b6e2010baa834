// The timeline: sessions (demand) against seats (capacity) with uPlot, scale actions as points whose reason shows on
// hover (and in the table below the chart, which is also the chart's text alternative).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TimelineWire } from '../dashboard-view.js';
import { el, table } from './element.js';

const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Aligned columns for uPlot: x, sessions, seats (a step), action markers at the seats level. */
export function chartData(t: TimelineWire): uPlot.AlignedData {
  const xs = new Set<number>([sec(t.from), sec(t.to)]);
  for (const p of t.demand) xs.add(sec(p.at));
  for (const c of t.capacity) xs.add(sec(c.at));
  for (const a of t.actions) xs.add(sec(a.at));
  const x = [...xs].sort((a, b) => a - b);
  const demand = new Map(t.demand.map((p) => [sec(p.at), p.sessions]));
  const actions = new Map(t.actions.map((a) => [sec(a.at), a]));
  let ci = 0;
  let seats: number | null = null;
  const seatCol: (number | null)[] = [];
  const sessionCol: (number | null)[] = [];
  const actionCol: (number | null)[] = [];
  for (const xi of x) {
    while (ci < t.capacity.length && sec(t.capacity[ci]!.at) <= xi) seats = t.capacity[ci++]!.seats;
    seatCol.push(seats);
    sessionCol.push(demand.get(xi) ?? null);
    actionCol.push(actions.has(xi) ? (seats ?? 0) : null);
  }
  return [x, sessionCol, seatCol, actionCol];
}

export function drawTimeline(host: HTMLElement, hover: HTMLElement, t: TimelineWire, previous?: uPlot): uPlot {
  previous?.destroy();
  host.replaceChildren();
  const byTime = new Map(t.actions.map((a) => [sec(a.at), a]));
  const width = Math.max(280, host.clientWidth || 640);
  const opts: uPlot.Options = {
    width,
    height: 260,
    series: [
      {},
      { label: 'Sessions (demand)', stroke: '#0b5cad', width: 2, spanGaps: true },
      { label: 'Seats (capacity)', stroke: '#2e7d32', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), fill: 'rgba(46,125,50,0.08)' },
      { label: 'Scale action', stroke: '#b3261e', width: 0, points: { show: true, size: 10, fill: '#b3261e' } },
    ],
    axes: [{}, { label: 'sessions / seats' }],
    scales: { y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.2))] } },
    hooks: {
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          const x = i === null || i === undefined ? undefined : u.data[0][i];
          // The action nearest the cursor, within one interval.
          let near: [number, TimelineWire['actions'][number]] | undefined;
          if (x !== undefined && x !== null) {
            for (const entry of byTime) if (Math.abs(entry[0] - x) <= t.intervalMinutes * 60 && (!near || Math.abs(entry[0] - x) < Math.abs(near[0] - x))) near = entry;
          }
          hover.textContent = near ? `${new Date(near[0] * 1000).toISOString().slice(11, 16)} UTC — scale ${near[1].direction} (${near[1].outcome}): ${near[1].reason}` : '';
        },
      ],
    },
  };
  const chart = new uPlot(opts, chartData(t), host);
  host.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
  return chart;
}

export function actionsTable(t: TimelineWire): HTMLElement {
  return table(
    `Scale actions on ${t.pool}, last ${t.range}`,
    ['When (UTC)', 'Direction', 'Outcome', 'Reason'],
    [...t.actions].reverse().map((a) => [a.at.slice(0, 16).replace('T', ' '), a.direction, a.outcome, el('span', {}, a.reason, a.steps.length ? el('span', { class: 'muted' }, ` — ${a.steps.join(', ')}`) : null)]),
    'no scale actions in this range.',
  );
}

/** One sentence that says what the chart shows, for screen readers. */
export function timelineSummary(t: TimelineWire): string {
  const peak = t.demand.reduce((m, p) => Math.max(m, p.sessions), 0);
  const seats = t.capacity.at(-1)?.seats ?? 0;
  return `${t.pool}, last ${t.range}: peak ${peak} session${peak === 1 ? '' : 's'}, ${seats} seat${seats === 1 ? '' : 's'} now, ${t.actions.length} scale action${t.actions.length === 1 ? '' : 's'}.`;
}
