// GPU-hours per user on Batch pools, for the dashboard's money view: each job's GPUs × its run time (startTime to
// endTime, or to now while running), counted only inside [from, now], rounded to hundredths. Pure.
import type { JobView } from './job-view.js';

export interface UserGpuHours {
  pool: string;
  user: string;
  gpuHours: number;
  jobs: number;
}

export function gpuHoursByUser(jobs: readonly JobView[], from: Date, now: Date): UserGpuHours[] {
  const totals = new Map<string, UserGpuHours>();
  for (const j of jobs) {
    const gpus = j.spec.resources.gpus;
    if (!j.pool || !j.startTime || gpus <= 0) continue;
    const start = Math.max(new Date(j.startTime).getTime(), from.getTime());
    const end = Math.min(j.endTime ? new Date(j.endTime).getTime() : now.getTime(), now.getTime());
    if (end <= start) continue;
    const key = `${j.pool}\u0000${j.user}`;
    const t = totals.get(key) ?? { pool: j.pool, user: j.user, gpuHours: 0, jobs: 0 };
    // Summed unrounded, rounded once at the end: rounding each job's share drifts (three 20-minute jobs made 0.99).
    t.gpuHours += (gpus * (end - start)) / 3_600_000;
    t.jobs++;
    totals.set(key, t);
  }
  return [...totals.values()].map((t) => ({ ...t, gpuHours: Math.round(t.gpuHours * 100) / 100 })).sort((a, b) => b.gpuHours - a.gpuHours);
}
