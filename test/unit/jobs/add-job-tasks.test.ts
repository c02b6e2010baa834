// Adding a job's Batch tasks: one task through the batcher's addTask, an array job's tasks in collections of at most
// 100 (Batch's addtaskcollection limit), at most 4 collections in flight, and the outcome counts and failure chosen.
import { describe, expect, it } from 'vitest';
import { addJobTasks } from '../../../src/jobs/add-job-tasks.js';
import type { AddTaskOutcome, TaskSpec } from '../../../src/jobs/batch.port.js';
import { JOB_ID, jobInState } from './job-records.js';
import { policy } from './memory-ports.js';

const BATCH_JOB = 'dsvmpool-cpu-202611';
const noAddTask = async (): Promise<AddTaskOutcome> => {
  throw new Error('an array job must not add a single task');
};

/** A Batch port whose addTasks records each call's task ids and answers with `answer` per task (added by default). */
function recordingBatch(answer: (task: TaskSpec) => AddTaskOutcome = (t) => ({ taskId: t.id, status: 'added' })) {
  const calls: string[][] = [];
  let inFlight = 0;
  const peak = { inFlight: 0 };
  return {
    calls,
    peak,
    async addTasks(jobId: string, tasks: TaskSpec[]) {
      expect(jobId).toBe(BATCH_JOB);
      calls.push(tasks.map((t) => t.id));
      peak.inFlight = Math.max(peak.inFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return tasks.map(answer);
    },
  };
}

const failed = (taskId: string, code: string, transient: boolean): AddTaskOutcome => ({ taskId, status: 'failed', code, message: `${code} for ${taskId}`, transient });

describe('addJobTasks', () => {
  it('adds a job without an array as one task through addTask, to the record\'s Batch job', async () => {
    const batch = recordingBatch();
    const added: [string, TaskSpec][] = [];
    const result = await addJobTasks(batch, async (j, t) => (added.push([j, t]), { taskId: t.id, status: 'added' }), jobInState('dispatching'), policy('cpu'), 2);
    expect(result).toEqual({ added: 1, existed: 0 });
    expect(added.map(([j, t]) => [j, t.id, t.requiredSlots])).toEqual([[BATCH_JOB, `job-${JOB_ID}`, 2]]);
    expect(batch.calls).toEqual([]);
  });

  it.each([
    [1, [1]],
    [100, [100]],
    [101, [100, 1]],
    [200, [100, 100]],
    [250, [100, 100, 50]],
  ])('adds an array of %i tasks in collections of %j, each index once', async (size, lengths) => {
    const batch = recordingBatch();
    const result = await addJobTasks(batch, noAddTask, jobInState('dispatching', {}, { array: { size } }), policy('cpu'), 1);
    expect(result).toEqual({ added: size, existed: 0 });
    expect(batch.calls.map((c) => c.length)).toEqual(lengths);
    const ids = batch.calls.flat();
    expect(new Set(ids).size).toBe(size);
    expect(ids[0]).toBe(`job-${JOB_ID}-0`);
    expect(ids.at(-1)).toBe(`job-${JOB_ID}-${size - 1}`);
  });

  it('keeps at most 4 collections in flight and still adds all of a 1,000-task array', async () => {
    const batch = recordingBatch();
    const result = await addJobTasks(batch, noAddTask, jobInState('dispatching', {}, { array: { size: 1000 } }), policy('cpu'), 1);
    expect(result).toEqual({ added: 1000, existed: 0 });
    expect(batch.calls).toHaveLength(10);
    expect(batch.peak.inFlight).toBe(4);
  });

  it('counts tasks Batch already had as existed, apart from the added ones', async () => {
    const batch = recordingBatch((t) => ({ taskId: t.id, status: Number(t.id.split('-').at(-1)) < 3 ? 'exists' : 'added' }));
    expect(await addJobTasks(batch, noAddTask, jobInState('dispatching', {}, { array: { size: 5 } }), policy('cpu'), 1)).toEqual({ added: 2, existed: 3 });
  });

  const indexOf = (t: TaskSpec) => Number(t.id.split('-').at(-1));
  it.each([
    ['the first permanent failure over an earlier transient one', [failed('t', 'ServerBusy', true), failed('p1', 'InvalidPropertyValue', false), failed('p2', 'Other', false)], 'p1'],
    ['the first of two permanent failures', [failed('p1', 'InvalidPropertyValue', false), failed('p2', 'Other', false)], 'p1'],
    ['the first of two transient failures', [failed('t1', 'ServerBusy', true), failed('t2', 'OperationTimedOut', true)], 't1'],
    ['a permanent failure over a later transient one', [failed('p1', 'InvalidPropertyValue', false), failed('t', 'ServerBusy', true)], 'p1'],
  ])('reports %s', async (_, outcomes, taskId) => {
    const batch = recordingBatch((t) => outcomes[indexOf(t)] ?? { taskId: t.id, status: 'added' });
    const result = await addJobTasks(batch, noAddTask, jobInState('dispatching', {}, { array: { size: outcomes.length + 1 } }), policy('cpu'), 1);
    expect(result).toEqual({ added: 1, existed: 0, failure: outcomes.find((o) => o.taskId === taskId) });
  });
});
