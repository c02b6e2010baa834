// The oracle: perfect knowledge of arrivals and zero boot time, so at every instant exactly
// ceil(sessions / seatsPerInstance) VMs run. Nobody waits, nothing is killed, no disk is kept. Its VM-hours are the
// lower bound any policy can reach on the trace.
import { costOf, type Prices, type RunMetrics, type TimelinePoint } from '../run-metrics.js';
import type { Trace } from '../trace.js';

const HOUR = 3_600_000;

export function oracle(trace: Trace, seatsPerInstance: number, prices: Prices, bucketMs = 300_000): RunMetrics {
  const edges = trace.sessions.flatMap((s) => [
    { t: s.start, d: 1 },
    { t: s.end, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let vmMs = 0;
  let out = 0;
  let inn = 0;
  let t = trace.period.start;
  const changes: { t: number; open: number }[] = [{ t, open: 0 }];
  for (const e of edges) {
    vmMs += Math.ceil(open / seatsPerInstance) * (e.t - t);
    const before = Math.ceil(open / seatsPerInstance);
    open += e.d;
    const after = Math.ceil(open / seatsPerInstance);
    if (after > before) out++;
    if (after < before) inn++;
    t = e.t;
    changes.push({ t, open });
  }
  vmMs += Math.ceil(open / seatsPerInstance) * (trace.period.end - t);
  const vmHours = vmMs / HOUR;
  return {
    policy: 'oracle',
    vmHours,
    runningVmHours: vmHours,
    deallocatedVmHours: 0,
    cost: costOf(vmHours, 0, prices),
    sessions: trace.sessions.length,
    waits: { p50Seconds: 0, p95Seconds: 0, maxSeconds: 0, waited: 0, neverSeated: 0 },
    killedSessions: 0,
    seatShortageSessionHours: 0,
    overSeatSessionHours: 0,
    scaleActions: { out, in: inn },
    vmOperations: { created: out, started: 0, deallocated: 0, deleted: inn },
    flaps: 0,
    timeline: timelineOf(changes, trace.period, seatsPerInstance, bucketMs),
  };
}

function timelineOf(changes: { t: number; open: number }[], period: Trace['period'], seats: number, bucketMs: number): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let k = 0;
  let current = 0;
  for (let b = period.start; b < period.end; b += bucketMs) {
    let peak = current;
    while (k < changes.length && (changes[k]?.t ?? Infinity) < b + bucketMs) {
      current = (changes[k] as { open: number }).open;
      peak = Math.max(peak, current);
      k++;
    }
    const vms = Math.ceil(peak / seats);
    points.push({ t: b, demand: peak, seats: vms * seats, allocatedVms: vms });
  }
  return points;
}
