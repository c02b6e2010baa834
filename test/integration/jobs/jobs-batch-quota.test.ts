// Batch's active-job quota: sync terminates the long-lived Batch jobs of past months once all their tasks have
// completed, never one with a task still running, and survives Batch throttling and outages while doing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, type JobsStack } from './jobs-stack.js';

describe('retiring Batch jobs of past months', () => {
  let s: JobsStack;
  beforeAll(async () => {
    s = await startJobsStack({}, { start: new Date('2026-11-30T21:00:00Z') });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const batchJob = async (id: string) => (await s.batch.getJob(id)).state;

  it('terminates last month’s Batch job once its tasks are done, keeps one with a running task until it ends', async () => {
    const short = await s.submit({ name: 'short-cpu', commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '60' } });
    const long = await s.submit({ name: 'long-gpu', commandLine: 'python train.py', resources: { gpus: 1 }, timeoutMinutes: 600, env: { EMULATOR_TASK_SECONDS: String(6 * 3600) } });
    expect((await s.tickUntil(short, ['succeeded'])).batch?.jobId).toBe('dsvmpool-cpu-202611');
    expect((await s.tickUntil(long, ['running'])).batch?.jobId).toBe('dsvmpool-gpu-202611');

    // Into December, past the hour of grace: the CPU job's month is over and its only task has completed.
    await s.tick(4 * 3600);
    expect(s.emulator.clock.now().toISOString() > '2026-12-01T01:00:00.000Z').toBe(true);
    expect(await batchJob('dsvmpool-cpu-202611')).toBe('completed');
    expect(await batchJob('dsvmpool-gpu-202611')).toBe('active');
    expect((await s.job(long)).state).toBe('running');

    // A December job goes under December's Batch job, which stays active.
    const december = await s.submit({ name: 'december', commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '60' } });
    expect((await s.tickUntil(december, ['succeeded'])).batch?.jobId).toBe('dsvmpool-cpu-202612');

    // The GPU task ends; Batch is throttled and down for a while, then the job is retired.
    const faults = [
      s.emulator.faults.add({ operation: 'batch.job.terminate', kind: 'status', status: 503, code: 'ServerBusy', retryAfterSeconds: 0, count: 6 }),
      s.emulator.faults.add({ operation: 'batch.job.list', kind: 'status', status: 429, code: 'TooManyRequests', retryAfterSeconds: 0, count: 4 }),
    ];
    expect((await s.tickUntil(long, ['succeeded'], 400)).state).toBe('succeeded');
    for (let i = 0; i < 5 && (await batchJob('dsvmpool-gpu-202611')) === 'active'; i++) await s.tick();
    expect(await batchJob('dsvmpool-gpu-202611')).toBe('completed');
    expect(s.logs.some((l) => /jobsync batch jobs: BATCH_THROTTLED/.test(l))).toBe(true);
    expect(s.logs.some((l) => /jobsync batch job dsvmpool-gpu-202611: BATCH_(THROTTLED|UNAVAILABLE)/.test(l))).toBe(true);
    faults.forEach((f) => s.emulator.faults.remove(f));

    expect(await batchJob('dsvmpool-cpu-202612')).toBe('active');
    expect(s.emulator.batch.killedTasks()).toBe(0);
    const tasks = s.emulator.batch.state().tasks;
    expect(tasks.filter((t) => t.id === `job-${long}`)).toMatchObject([{ state: 'completed', exitCode: 0 }]);
  });
});
