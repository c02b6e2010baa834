// What placement alone can reach on a trace, with no boot time and no idle window: where the broker's VM-hours above
// the oracle come from. Pure; `npm run simulate -- bounds` solves the one model here that needs a solver.
//
// A seat is a person: a user's overlapping sessions (Jupyter and SSH at once) are one *presence*, since the broker's
// affinity puts them on one VM. Three figures, each VM running exactly while someone is on it:
// - the presence oracle: ceil(present people / seats) VMs at every instant (people move whenever it pays);
// - the best placement that never moves anyone, knowing every arrival and departure in advance (a mixed-integer model,
//   `noMoveModel`, per stretch of time with somebody present);
// - greedy online placement, knowing nothing of who comes next: `depth-first` (the broker's rule: the fullest VM with a
//   free seat) and `known-departures` (as if each person's departure were known on arrival: a VM that stays up past
//   it anyway, else the one whose last person leaves latest).
import type { Trace } from './trace.js';

const HOUR_MS = 3_600_000;

/** One person on one VM from `start` to `end` (epoch ms): a user's overlapping sessions merged. */
export interface Presence {
  user: string;
  start: number;
  end: number;
}

/** A user's sessions that overlap (or touch) merged into presences, sorted by start, then end. */
export function presencesOf(trace: Pick<Trace, 'sessions'>): Presence[] {
  const byUser = new Map<string, { start: number; end: number }[]>();
  for (const s of trace.sessions) {
    const list = byUser.get(s.user) ?? [];
    list.push({ start: s.start, end: s.end });
    byUser.set(s.user, list);
  }
  const out: Presence[] = [];
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.start - b.start);
    let current: Presence | undefined;
    for (const s of list) {
      if (current && s.start <= current.end) current.end = Math.max(current.end, s.end);
      else {
        if (current) out.push(current);
        current = { user, start: s.start, end: s.end };
      }
    }
    if (current) out.push(current);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Presences split where nobody is present: placements in one stretch never affect another. */
export function stretchesOf(presences: readonly Presence[]): Presence[][] {
  const out: Presence[][] = [];
  let current: Presence[] = [];
  let until = -Infinity;
  for (const p of presences) {
    if (current.length > 0 && p.start >= until) {
      out.push(current);
      current = [];
    }
    current.push(p);
    until = Math.max(until, p.end);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The elementary intervals of a stretch (between consecutive starts and ends) with who is present in each. */
export function segmentsOf(stretch: readonly Presence[]): { from: number; to: number; present: number[] }[] {
  const times = [...new Set(stretch.flatMap((p) => [p.start, p.end]))].sort((a, b) => a - b);
  const out: { from: number; to: number; present: number[] }[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const from = times[i]!;
    const to = times[i + 1]!;
    const present = stretch.flatMap((p, j) => (p.start <= from && p.end >= to ? [j] : []));
    if (present.length > 0) out.push({ from, to, present });
  }
  return out;
}

/** VM-hours of ceil(present people / seats) VMs at every instant. */
export function presenceOracleVmHours(presences: readonly Presence[], seatsPerInstance: number): number {
  let ms = 0;
  for (const stretch of stretchesOf(presences)) for (const s of segmentsOf(stretch)) ms += Math.ceil(s.present.length / seatsPerInstance) * (s.to - s.from);
  return ms / HOUR_MS;
}

export type GreedyRule = 'depth-first' | 'known-departures';

/**
 * VM-hours of placing each presence on arrival by `rule`, never moving it, at most `seatsPerInstance` per VM; a VM
 * starts with its first person (no boot time) and goes when its last one leaves (no idle window).
 */
export function greedyPlacementVmHours(presences: readonly Presence[], seatsPerInstance: number, rule: GreedyRule): number {
  interface Vm {
    start: number;
    lastEnd: number;
    present: Presence[];
  }
  let vms: Vm[] = [];
  let ms = 0;
  for (const p of presences) {
    for (const vm of vms) vm.present = vm.present.filter((q) => q.end > p.start);
    for (const vm of vms) if (vm.present.length === 0) ms += vm.lastEnd - vm.start;
    vms = vms.filter((vm) => vm.present.length > 0);
    const free = vms.filter((vm) => vm.present.length < seatsPerInstance);
    let chosen: Vm | undefined;
    if (free.length > 0 && rule === 'depth-first') chosen = free.reduce((a, b) => (b.present.length > a.present.length ? b : a));
    if (free.length > 0 && rule === 'known-departures') {
      const covering = free.filter((vm) => vm.lastEnd >= p.end);
      chosen = covering.length > 0 ? covering.reduce((a, b) => (b.lastEnd < a.lastEnd ? b : a)) : free.reduce((a, b) => (b.lastEnd > a.lastEnd ? b : a));
    }
    if (!chosen) {
      chosen = { start: p.start, lastEnd: p.end, present: [] };
      vms.push(chosen);
    }
    chosen.present.push(p);
    chosen.lastEnd = Math.max(chosen.lastEnd, p.end);
  }
  for (const vm of vms) ms += vm.lastEnd - vm.start;
  return ms / HOUR_MS;
}

/**
 * The placement that never moves anyone and knows everything in advance, for one stretch, as a mixed-integer model
 * in CPLEX LP format (what HiGHS reads). Minimise Σ hours(k) · y[v][k] over VMs v and segments k, where x[j][v] = 1
 * puts presence j on VM v (each presence on exactly one VM; presence j only on VMs 0..j, which removes the VMs'
 * symmetry), y[v][k] ≥ x[j][v] for everyone present in k (the VM runs while anyone is on it), and at most
 * `seatsPerInstance` people on a VM in any segment. Its optimum is in VM-hours.
 */
export function noMoveModel(stretch: readonly Presence[], seatsPerInstance: number): string {
  const segments = segmentsOf(stretch);
  const peak = Math.max(...segments.map((s) => s.present.length));
  const vms = Math.min(stretch.length, peak);
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  for (let v = 0; v < vms; v++) {
    segments.forEach((s, k) => {
      const on = s.present.filter((j) => v <= j);
      if (on.length === 0) return;
      objective.push(`${((s.to - s.from) / HOUR_MS).toFixed(9)} y_${v}_${k}`);
      bounds.push(` 0 <= y_${v}_${k} <= 1`);
      rows.push(` seats_${v}_${k}: ${on.map((j) => `x_${j}_${v}`).join(' + ')} - ${seatsPerInstance} y_${v}_${k} <= 0`);
      for (const j of on) rows.push(` runs_${v}_${k}_${j}: y_${v}_${k} - x_${j}_${v} >= 0`);
    });
  }
  const binaries: string[] = [];
  stretch.forEach((_, j) => {
    const own = Array.from({ length: Math.min(vms, j + 1) }, (__, v) => `x_${j}_${v}`);
    rows.push(` placed_${j}: ${own.join(' + ')} = 1`);
    binaries.push(...own.map((x) => ` ${x}`));
  });
  return ['Minimize', ` hours: ${objective.join(' + ')}`, 'Subject To', ...rows, 'Bounds', ...bounds, 'Binary', ...binaries, 'End', ''].join('\n');
}
