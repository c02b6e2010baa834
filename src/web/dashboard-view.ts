// The JSON the dashboard page reads, as types shared by the server (src/services/dashboard.ts) and the page
// (src/web/client). Type-only imports: the page bundles none of the server's code.
import type { PoolCost } from '../autoscale/pool-cost.js';
import type { PoolStatus } from '../autoscale/pool-status.js';
import type { ScaleEvent } from '../autoscale/scale-event.js';
import type { PoolTimeline } from '../autoscale/timeline.js';
import type { UserGpuHours } from '../jobs/gpu-hours.js';
import type { JobView } from '../jobs/job-view.js';

/** What GET /api/ui/view answers: everything the page shows, filtered for the caller. */
export interface DashboardView {
  caller: { user: string; isAdmin: boolean };
  at: string;
  /** Exactly GET /api/pools' items (for users, without other people's names). */
  pools: PoolStatus[];
  /** seatsPerInstance of each VMSS pool's policy (valid rows only). */
  seatsPerInstance: Record<string, number>;
  /** The caller's jobs (admins: everyone's), newest first, with waitingFor. */
  jobs: JobView[];
  /** Admins only: each pool's newest scale events. */
  decisions?: { pool: string; events: ScaleEvent[] }[];
  /** Admins only. */
  money?: { pools: PoolCost[]; gpuHours: UserGpuHours[] };
}

/** A value as it arrives over JSON: dates are ISO strings. */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export type DashboardWire = Wire<DashboardView>;
export type TimelineWire = Wire<PoolTimeline>;
export type PoolWire = Wire<PoolStatus>;
export type EventWire = Wire<ScaleEvent>;
export type JobWire = Wire<JobView>;
