// GPU-hours per user and pool (the dashboard's money view): GPUs × run time, clipped to [from, now].
import { describe, expect, it } from 'vitest';
import { gpuHoursByUser } from '../../../src/jobs/gpu-hours.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { toJobView } from '../../../src/jobs/job-view.js';

const from = new Date('2026-11-01T00:00:00Z');
const now = new Date('2026-11-02T12:00:00Z');
let n = 0;
const view = (user: string, gpus: number, startTime: string | undefined, endTime?: string, pool: string | null = 'gpu') =>
  toJobView({
    id: `00000000000a-0000000000001-${String(n++).padStart(6, '0')}`,
    user,
    name: 'j',
    spec: jobSpecSchema.parse({ name: 'j', commandLine: 'x', resources: { gpus } }),
    specHash: 'h',
    state: endTime ? 'succeeded' : 'running',
    pool: pool ?? undefined,
    submittedAt: from.toISOString(),
    updatedAt: from.toISOString(),
    dispatchAttempts: 0,
    startTime,
    endTime,
  } as JobRecord);

describe('gpuHoursByUser', () => {
  it('counts GPUs × hours of a finished job', () => {
    expect(gpuHoursByUser([view('ann', 2, '2026-11-02T08:00:00Z', '2026-11-02T09:30:00Z')], from, now)).toEqual([{ pool: 'gpu', user: 'ann', gpuHours: 3, jobs: 1 }]);
  });

  it('counts a running job up to now, and a job started before `from` only from `from`', () => {
    expect(gpuHoursByUser([view('ann', 1, '2026-11-02T10:00:00Z')], from, now)).toEqual([{ pool: 'gpu', user: 'ann', gpuHours: 2, jobs: 1 }]);
    expect(gpuHoursByUser([view('ann', 1, '2026-10-31T23:00:00Z', '2026-11-01T01:00:00Z')], from, now)).toEqual([{ pool: 'gpu', user: 'ann', gpuHours: 1, jobs: 1 }]);
  });

  it('sums per user and pool, rounds to hundredths, and lists the largest first', () => {
    const rows = gpuHoursByUser(
      [
        view('ann', 1, '2026-11-02T08:00:00Z', '2026-11-02T08:20:00Z'),
        view('ann', 1, '2026-11-02T09:00:00Z', '2026-11-02T09:30:00Z'),
        view('bob', 4, '2026-11-02T08:00:00Z', '2026-11-02T09:00:00Z'),
        view('ann', 1, '2026-11-02T08:00:00Z', '2026-11-02T09:00:00Z', 'gpu2'),
      ],
      from,
      now,
    );
    expect(rows).toEqual([
      { pool: 'gpu', user: 'bob', gpuHours: 4, jobs: 1 },
      { pool: 'gpu2', user: 'ann', gpuHours: 1, jobs: 1 },
      { pool: 'gpu', user: 'ann', gpuHours: 0.83, jobs: 2 },
    ]);
  });

  it('rounds the sum, not each job: three 20-minute one-GPU jobs make 1 GPU-hour', () => {
    const thirds = ['08', '09', '10'].map((h) => view('ann', 1, `2026-11-02T${h}:00:00Z`, `2026-11-02T${h}:20:00Z`));
    expect(gpuHoursByUser(thirds, from, now)).toEqual([{ pool: 'gpu', user: 'ann', gpuHours: 1, jobs: 3 }]);
  });

  it('leaves out CPU jobs, jobs that never started or have no pool, and runs wholly outside [from, now]', () => {
    const rows = gpuHoursByUser(
      [
        view('ann', 0, '2026-11-02T08:00:00Z', '2026-11-02T09:00:00Z'),
        view('ann', 1, undefined),
        view('ann', 1, '2026-11-02T08:00:00Z', '2026-11-02T09:00:00Z', null),
        view('ann', 1, '2026-10-30T08:00:00Z', '2026-10-31T09:00:00Z'),
        view('ann', 1, now.toISOString()),
      ],
      from,
      now,
    );
    expect(rows).toEqual([]);
  });
});
