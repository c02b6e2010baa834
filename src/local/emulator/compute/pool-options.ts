// How a PoolModel is set up: lifecycle timings, scale-in policy, initial capacity and placement seed.
export interface PoolTimings {
  /** creating → running. */
  bootSeconds: number;
  /** deallocated/stopped → running. */
  startSeconds: number;
  deallocateSeconds: number;
  deleteSeconds: number;
  /** powerOff: stopping → stopped. */
  stopSeconds: number;
}

export const DEFAULT_TIMINGS: PoolTimings = { bootSeconds: 180, startSeconds: 60, deallocateSeconds: 30, deleteSeconds: 30, stopSeconds: 30 };

/** VMSS scale-in policy rules (without zones, Default removes the highest instance id). */
export type ScaleInRule = 'Default' | 'NewestVM' | 'OldestVM';

export interface PoolModelOptions {
  capacity?: number;
  timings?: Partial<PoolTimings>;
  /** Seed for load-balancer placement; same seed, same placement. */
  seed?: number;
  scaleInRule?: ScaleInRule;
  /** Initial instances are already running (a warm pool) instead of booting. */
  startRunning?: boolean;
}

export interface CapacityChange {
  created: string[];
  removed: string[];
}
