// What a pool cost: VM-hours and estimated compute cost today, this week and this month (UTC), next to what
// keeping the week's peak running all the time would have cost. Pure; prices come from the app setting
// DSVMPOOL_POOL_PRICES (defaults: the simulator's DEFAULT_PRICES). Estimates, not the invoice.
import { billedVmHours, peakBilledVms, type CapacityStep } from './capacity-history.js';

/** Pay-as-you-go price of one VM of a pool while allocated. */
export interface PoolPrice {
  vmSize: string;
  /** USD per VM-hour. */
  vmPerHour: number;
}

export interface PeriodCost {
  from: string;
  vmHours: number;
  /** USD, vmHours × vmPerHour. */
  cost: number;
}

export interface PoolCost {
  pool: string;
  price: PoolPrice;
  today: PeriodCost;
  week: PeriodCost;
  month: PeriodCost;
  /** Keeping the week's peak of billed VMs allocated around the clock, over the same periods. */
  alwaysOn: { vms: number; today: number; week: number; month: number };
}

const HOUR = 3_600_000;

/** Start of the UTC day, ISO week (Monday) and month holding `now`. */
export function periodStarts(now: Date): { today: Date; week: Date; month: Date } {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const week = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * 24 * HOUR);
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { today, week, month };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The cost view of one pool from its capacity history (which must reach back to the earliest period start). */
export function poolCost(pool: string, steps: readonly CapacityStep[], price: PoolPrice, now: Date): PoolCost {
  const starts = periodStarts(now);
  const period = (from: Date): PeriodCost => {
    const vmHours = billedVmHours(steps, from, now);
    return { from: from.toISOString(), vmHours: round(vmHours, 2), cost: round(vmHours * price.vmPerHour, 2) };
  };
  const vms = peakBilledVms(steps, starts.week, now);
  const alwaysOn = (from: Date) => round(((vms * (now.getTime() - from.getTime())) / HOUR) * price.vmPerHour, 2);
  return {
    pool,
    price,
    today: period(starts.today),
    week: period(starts.week),
    month: period(starts.month),
    alwaysOn: { vms, today: alwaysOn(starts.today), week: alwaysOn(starts.week), month: alwaysOn(starts.month) },
  };
}
