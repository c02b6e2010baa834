// The figures of one replay: VM-hours, cost, seat waits, killed sessions, scale actions and flaps, and a
// demand-vs-capacity timeline for the chart.
export interface Prices {
  /** Pay-as-you-go price of one VM per hour while allocated, in USD. */
  vmPerHour: number;
  /** Managed OS disk per hour, charged for deallocated VMs (a running VM's disk is counted in vmPerHour). */
  diskPerHour: number;
  vmSize: string;
  diskSku: string;
}

/**
 * Defaults: Standard_D4s_v5 Linux pay-as-you-go ≈ $0.192/h (East US list price, an estimate; check the Azure
 * pricing page for your region) and a 128 GiB Premium SSD P10 ≈ $19.71/month ≈ $0.027/h (estimate).
 */
export const DEFAULT_PRICES: Prices = { vmPerHour: 0.192, diskPerHour: 0.027, vmSize: 'Standard_D4s_v5', diskSku: 'P10 (128 GiB Premium SSD)' };

export interface WaitFigures {
  /** Seat waits over every session (0 for those seated at once), in seconds. */
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
  /** Sessions that waited at all. */
  waited: number;
  /** Sessions that ended before the pool had a seat for them. */
  neverSeated: number;
}

export interface TimelinePoint {
  /** Start of the bucket, epoch ms. */
  t: number;
  /** Most sessions (connected or waiting) in the bucket. */
  demand: number;
  /** Most running VMs × seats in the bucket. */
  seats: number;
  /** Most VMs billed for compute (running, booting, starting, deallocating) in the bucket. */
  allocatedVms: number;
}

export interface RunMetrics {
  policy: string;
  /** Billed compute hours: running plus booting, starting and deallocating. */
  vmHours: number;
  runningVmHours: number;
  deallocatedVmHours: number;
  cost: { compute: number; disk: number; total: number };
  sessions: number;
  waits: WaitFigures;
  killedSessions: number;
  /** Integral of max(0, sessions − seats): how long sessions shared an over-full pool. */
  seatShortageSessionHours: number;
  /**
   * Integral over running VMs of max(0, the VM's sessions − seatsPerInstance): sessions on a VM past its seats. The
   * load balancer puts new people there while another VM has room; a broker only a user's second session beside
   * their first.
   */
  overSeatSessionHours: number;
  /** Evaluations (ticks or wakes) that scaled out / in. */
  scaleActions: { out: number; in: number };
  vmOperations: { created: number; started: number; deallocated: number; deleted: number };
  /** Scale-outs within `flapWindowMinutes` after a scale-in: capacity removed and then needed again. */
  flaps: number;
  timeline: TimelinePoint[];
}

/** Nearest-rank percentile of a list (0 for an empty list). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function costOf(vmHours: number, deallocatedVmHours: number, prices: Prices): RunMetrics['cost'] {
  const compute = vmHours * prices.vmPerHour;
  const disk = deallocatedVmHours * prices.diskPerHour;
  return { compute: round2(compute), disk: round2(disk), total: round2(compute + disk) };
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
