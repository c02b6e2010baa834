// Batch jobs and tasks that vanish under the job service: the Batch side lost while Table Storage kept the records
// (locally: `npm start -- --persist`, Ctrl-C mid-run, start again, since the emulator keeps no state; in Azure: a
// Batch job deleted by hand). Every job must end final or say why it waits, and the pools go back to their minimum.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, type JobsStack } from './jobs-stack.js';

describe('jobs whose Batch side vanished', () => {
  let s: JobsStack;
  beforeAll(async () => {
    s = await startJobsStack({ DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS: '1' });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const tasksOf = (id: string) => s.emulator.batch.state().tasks.filter((t) => t.id === `job-${id}`);

  it('fails jobs whose Batch job or task is gone with a reason, runs the jobs submitted after, and shrinks the pools', async () => {
    const long = { commandLine: 'python train.py', env: { EMULATOR_TASK_SECONDS: '3000' } };
    const lost: string[] = [];
    for (const name of ['lost-1', 'lost-2', 'lost-3']) lost.push(await s.submit({ name, ...long }));
    // The cpu pool has 2 nodes at most: two run (whichever Batch starts first), the third waits dispatched.
    const states = async () => Promise.all(lost.map(async (id) => (await s.job(id)).state));
    for (let i = 0; i < 30 && (await states()).filter((x) => x === 'running').length < 2; i++) await s.tick();
    expect((await states()).sort()).toEqual(['dispatched', 'running', 'running']);
    const pool = () => s.emulator.batch.state().pools.find((p) => p.id === 'cpu')!;
    expect(pool().targetDedicatedNodes).toBeGreaterThan(0);

    // The Batch side is lost: no Batch job, no task, pools as created.
    s.emulator.batch.reset();
    await s.tick();
    // The Batch job is gone (JobNotFound): its jobs fail at once.
    for (const id of lost) {
      const view = await s.job(id);
      expect(view.state).toBe('failed');
      expect(view.reason).toMatch(/Batch job holding this task disappeared.*submit it again/);
    }

    // Lost again, this time while the Batch job is created anew by a later job: the old tasks are just missing.
    const before = await s.submit({ name: 'before-second-loss', ...long });
    await s.tickUntil(before, ['running'], 10);
    s.emulator.batch.reset();
    const after = await s.submit({ name: 'after', commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '60' } });
    await s.waitFor(after, ['dispatched', 'running']); // dispatch re-creates the Batch job it believed existed
    expect(tasksOf(after)).toHaveLength(1);
    expect((await s.tickUntil(after, ['succeeded', 'failed'])).state).toBe('succeeded');
    const gone = await s.tickUntil(before, ['failed', 'succeeded'], 6);
    expect(gone.state).toBe('failed');
    expect(gone.reason).toContain('the Batch task disappeared');

    // Nothing needs the pool any more: back to its minimum (0) after idleMinutesBeforeScaleDown (5).
    for (let i = 0; i < 7 && pool().targetDedicatedNodes > 0; i++) await s.tick();
    expect(pool().targetDedicatedNodes).toBe(0);
    const active = await s.api('GET', '/jobs?state=running', { user: 'root', admin: true });
    expect(active.body.items).toEqual([]);
  }, 120_000);
});
