// The task batcher's group commit: tasks handed in while a call is in flight wait for it and go out together in the
// next call; each caller gets its own task's outcome, or the call's error.
import { describe, expect, it } from 'vitest';
import type { AddTaskOutcome, TaskSpec } from '../../../src/jobs/batch.port.js';
import { JobsError } from '../../../src/jobs/errors.js';
import { TaskBatcher } from '../../../src/jobs/task-batcher.js';

const task = (id: string) => ({ id }) as TaskSpec;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A Batch port whose calls wait until released, recording the task ids of each call and how many were in flight. */
function gatedBatch(answer: (t: TaskSpec) => AddTaskOutcome | undefined = (t) => ({ taskId: t.id, status: 'added' })) {
  const calls: string[][] = [];
  const gates: (() => void)[] = [];
  let inFlight = 0;
  const seen = { peak: 0 };
  return {
    calls,
    seen,
    release: () => gates.splice(0).forEach((g) => g()),
    async addTasks(_job: string, tasks: TaskSpec[]) {
      calls.push(tasks.map((t) => t.id));
      seen.peak = Math.max(seen.peak, ++inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return tasks.map(answer).filter((o): o is AddTaskOutcome => o !== undefined);
    },
  };
}

describe('TaskBatcher', () => {
  it('holds tasks handed in during a call and sends them together once it returns, one call at a time', async () => {
    const batch = gatedBatch();
    const batcher = new TaskBatcher(batch);
    const first = batcher.add('j', task('a'));
    await tick();
    const later = [batcher.add('j', task('b')), batcher.add('j', task('c'))];
    await tick();
    expect(batch.calls).toEqual([['a']]);
    batch.release();
    await first;
    await tick();
    expect(batch.calls).toEqual([['a'], ['b', 'c']]);
    batch.release();
    expect(await Promise.all(later)).toEqual([
      { taskId: 'b', status: 'added' },
      { taskId: 'c', status: 'added' },
    ]);
    expect(batch.seen.peak).toBe(1);
    expect(batcher.stats).toEqual({ calls: 2, tasks: 3 });
  });

  it('sends a task handed in after the previous flush finished', async () => {
    const batch = gatedBatch();
    const batcher = new TaskBatcher(batch);
    const first = batcher.add('j', task('a'));
    await tick();
    batch.release();
    expect(await first).toEqual({ taskId: 'a', status: 'added' });
    const second = batcher.add('j', task('b'));
    await tick();
    batch.release();
    expect(await second).toEqual({ taskId: 'b', status: 'added' });
    expect(batch.calls).toEqual([['a'], ['b']]);
  });

  it('answers a transient BATCH_UNAVAILABLE for a task Batch returned no result for', async () => {
    const batch = gatedBatch((t) => (t.id === 'b' ? undefined : { taskId: t.id, status: 'added' }));
    const batcher = new TaskBatcher(batch);
    const both = Promise.all([batcher.add('j', task('a')), batcher.add('j', task('b'))]);
    await tick();
    batch.release();
    expect(await both).toEqual([
      { taskId: 'a', status: 'added' },
      { taskId: 'b', status: 'failed', code: 'BATCH_UNAVAILABLE', message: 'no result for the task', transient: true },
    ]);
  });

  it('rejects every task of a call that failed with its error, and sends the next call', async () => {
    const outcomes: unknown[] = [];
    let calls = 0;
    const batcher = new TaskBatcher({
      async addTasks(_job, tasks) {
        if (calls++ === 0) throw new JobsError('BATCH_UNAVAILABLE', 'Batch is busy');
        return tasks.map((t) => ({ taskId: t.id, status: 'added' as const }));
      },
    });
    const all = Array.from({ length: 101 }, (_, i) => batcher.add('j', task(`t${i}`)).then((o) => outcomes.push(o), (e: JobsError) => outcomes.push(e.code)));
    await Promise.all(all);
    expect(outcomes.filter((o) => o === 'BATCH_UNAVAILABLE')).toHaveLength(100);
    expect(outcomes.at(-1)).toEqual({ taskId: 't100', status: 'added' });
  });
});
