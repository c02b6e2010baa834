// Array jobs: the per-task state string, counts from it, and the job state sync derives from the tasks it sees.
import { describe, expect, it } from 'vitest';
import { arrayState, countTasks, indexesIn, reconcileArray } from '../../../src/jobs/array-tasks.js';
import type { TaskSnapshot } from '../../../src/jobs/batch.port.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import type { JobState } from '../../../src/jobs/job-state.js';

const JOB = '0123456789ab-8234567890123-abc123';
const NOW = new Date('2026-12-01T10:00:00.000Z');

function arrayJob(state: JobState, taskStates: string | undefined, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    id: JOB,
    user: 'ada',
    name: 'sweep',
    spec: jobSpecSchema.parse({ name: 'sweep', commandLine: 'python run.py', array: { size: taskStates?.length ?? 3 } }),
    specHash: 'h',
    state,
    submittedAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    dispatchAttempts: 1,
    ...(taskStates === undefined ? {} : { taskStates }),
    ...patch,
  };
}

const task = (s: Partial<TaskSnapshot>): TaskSnapshot => ({ id: 't', state: 'completed', ...s });
const seen = (...entries: [number, Partial<TaskSnapshot>][]) => new Map(entries.map(([i, s]) => [i, task(s)]));

describe('countTasks and indexesIn', () => {
  it('counts each state character; anything not w, r, s or f counts as cancelled', () => {
    expect(countTasks('wrsfcc')).toEqual({ total: 6, waiting: 1, running: 1, succeeded: 1, failed: 1, cancelled: 2 });
  });

  it('lists the indexes in a state, at most the limit', () => {
    expect(indexesIn('fsfsf', 'f')).toEqual([0, 2, 4]);
    expect(indexesIn('fsfsf', 'f', 2)).toEqual([0, 2]);
    expect(indexesIn('sss', 'f')).toEqual([]);
  });
});

describe('reconcileArray: the state character of a task', () => {
  it.each([
    ['running', { state: 'running' }, 'r'],
    ['preparing', { state: 'preparing', exitCode: 1 }, 'w'],
    ['completed with result success', { result: 'success', exitCode: 3 }, 's'],
    ['completed with no result and exit code 0', { exitCode: 0 }, 's'],
    ['completed with no result and exit code 1', { exitCode: 1 }, 'f'],
    ['completed with result failure and exit code 0', { result: 'failure', exitCode: 0 }, 'f'],
    ['ended by a terminate (failureCode TaskEnded)', { result: 'failure', failureCode: 'TaskEnded' }, 'c'],
  ] as [string, Partial<TaskSnapshot>, string][])('a task %s is %s', (_what, snapshot, ch) => {
    const next = reconcileArray(arrayJob('running', 'rrr'), seen([1, snapshot]), NOW);
    expect(next?.taskStates ?? 'rrr').toBe(`r${ch}r`);
  });

  it('keeps a task dsvm-pool cancelled cancelled, whatever Batch reports', () => {
    const next = reconcileArray(arrayJob('cancelling', 'cwr'), seen([0, { result: 'success', exitCode: 0 }], [1, { exitCode: 0 }]), NOW);
    expect(next?.taskStates).toBe('csr');
  });

  it('ignores indexes outside the array, and their times', () => {
    const next = reconcileArray(
      arrayJob('running', 'rrr', { taskTransitionTime: '2026-12-01T09:10:00.000Z' }),
      seen([-1, { state: 'running', stateTransitionTime: '2026-12-01T09:59:00.000Z' }], [3, { state: 'running', stateTransitionTime: '2026-12-01T09:58:00.000Z' }], [2, { exitCode: 0, stateTransitionTime: '2026-12-01T09:20:00.000Z' }]),
      NOW,
    );
    expect(next).toMatchObject({ taskStates: 'rrs', taskTransitionTime: '2026-12-01T09:20:00.000Z' });
  });
});

describe('reconcileArray: times, exit code and whether anything changed', () => {
  it('keeps the latest transition, the earliest start and the latest end; the exit code of the lowest failed index', () => {
    const next = reconcileArray(
      arrayJob('running', 'rrr', { taskTransitionTime: '2026-12-01T09:30:00.000Z', startTime: '2026-12-01T09:05:00.000Z' }),
      seen(
        [2, { exitCode: 7, startTime: '2026-12-01T09:01:00.000Z', endTime: '2026-12-01T09:40:00.000Z', stateTransitionTime: '2026-12-01T09:40:00.000Z' }],
        [1, { exitCode: 5, startTime: '2026-12-01T09:03:00.000Z', endTime: '2026-12-01T09:50:00.000Z', stateTransitionTime: '2026-12-01T09:20:00.000Z' }],
        [0, { result: 'success', exitCode: 0, startTime: '2026-12-01T09:06:00.000Z', endTime: '2026-12-01T09:45:00.000Z' }],
      ),
      NOW,
    );
    expect(next).toMatchObject({
      state: 'failed',
      taskStates: 'sff',
      taskTransitionTime: '2026-12-01T09:40:00.000Z',
      startTime: '2026-12-01T09:01:00.000Z',
      endTime: '2026-12-01T09:50:00.000Z',
      exitCode: 5,
      updatedAt: NOW.toISOString(),
    });
  });

  it('an earlier end time or start time of a later-seen task does not replace the kept one', () => {
    const next = reconcileArray(
      arrayJob('running', 'rr', { startTime: '2026-12-01T09:01:00.000Z' }),
      seen([0, { exitCode: 0, startTime: '2026-12-01T09:02:00.000Z', endTime: '2026-12-01T09:50:00.000Z' }], [1, { exitCode: 0, endTime: '2026-12-01T09:40:00.000Z' }]),
      NOW,
    );
    expect(next).toMatchObject({ state: 'succeeded', startTime: '2026-12-01T09:01:00.000Z', endTime: '2026-12-01T09:50:00.000Z' });
  });

  it('nothing new: undefined; a newer transition time alone, or an earlier start alone, is saved', () => {
    const record = arrayJob('running', 'rw', { taskTransitionTime: '2026-12-01T09:30:00.000Z', startTime: '2026-12-01T09:05:00.000Z' });
    expect(reconcileArray(record, seen([0, { state: 'running', stateTransitionTime: '2026-12-01T09:30:00.000Z', startTime: '2026-12-01T09:05:00.000Z' }]), NOW)).toBeUndefined();
    expect(reconcileArray(record, seen([0, { state: 'running', stateTransitionTime: '2026-12-01T09:31:00.000Z' }]), NOW)).toMatchObject({ taskStates: 'rw', taskTransitionTime: '2026-12-01T09:31:00.000Z' });
    expect(reconcileArray(record, seen([0, { state: 'running', startTime: '2026-12-01T09:04:00.000Z' }]), NOW)).toMatchObject({ taskStates: 'rw', startTime: '2026-12-01T09:04:00.000Z' });
  });

  it('an older transition time, or none, seen after a newer one does not replace it', () => {
    const next = reconcileArray(
      arrayJob('running', 'rrr', { taskTransitionTime: '2026-12-01T09:30:00.000Z' }),
      seen([0, { state: 'running', stateTransitionTime: '2026-12-01T09:40:00.000Z' }], [1, { state: 'running', stateTransitionTime: '2026-12-01T09:10:00.000Z' }], [2, { state: 'running' }]),
      NOW,
    );
    expect(next?.taskTransitionTime).toBe('2026-12-01T09:40:00.000Z');
  });

  it('a dispatched job whose tasks still wait saves a newer transition time', () => {
    expect(reconcileArray(arrayJob('dispatched', 'ww'), seen([0, { state: 'active', stateTransitionTime: '2026-12-01T09:31:00.000Z' }]), NOW)).toMatchObject({
      state: 'dispatched',
      taskTransitionTime: '2026-12-01T09:31:00.000Z',
    });
  });

  it('a dispatching job whose tasks are seen waiting, with nothing else new, becomes dispatched', () => {
    expect(reconcileArray(arrayJob('dispatching', 'ww'), seen([0, { state: 'active' }]), NOW)).toMatchObject({ state: 'dispatched', taskStates: 'ww' });
  });

  it('a task state change that leaves the job state as it was is saved', () => {
    expect(reconcileArray(arrayJob('running', 'rw'), seen([1, { state: 'running' }]), NOW)).toMatchObject({ state: 'running', taskStates: 'rr' });
  });

  it('a final job does not move back: a task seen running after the job was cancelled changes nothing', () => {
    expect(reconcileArray(arrayJob('cancelled', 'cc'), seen([0, { state: 'running' }]), NOW)).toBeUndefined();
  });

  it('a job not yet seen has every task waiting', () => {
    expect(reconcileArray(arrayJob('dispatched', undefined), seen([0, { state: 'running' }]), NOW)).toMatchObject({ state: 'running', taskStates: 'rww' });
  });
});

describe('arrayState', () => {
  it.each([
    ['dispatching', 'ww', 'dispatched'],
    ['dispatched', 'ww', 'dispatched'],
    ['queued', 'ww', 'queued'],
    ['dispatched', 'rw', 'running'],
    ['dispatched', 'sw', 'running'],
    ['dispatched', 'fw', 'running'],
    ['running', 'ww', 'running'],
  ] as [JobState, string, JobState][])('%s with tasks %s open is %s', (state, states, expected) => {
    expect(arrayState(arrayJob(state, states), undefined, NOW).state).toBe(expected);
  });

  it('cancelling: cancelled once no task is open (ended now when no task says when), else unchanged', () => {
    expect(arrayState(arrayJob('cancelling', 'sc'), undefined, NOW)).toMatchObject({ state: 'cancelled', endTime: NOW.toISOString() });
    expect(arrayState(arrayJob('cancelling', 'sc'), '2026-12-01T09:55:00.000Z', NOW)).toMatchObject({ state: 'cancelled', endTime: '2026-12-01T09:55:00.000Z' });
    const open = arrayJob('cancelling', 'cr');
    expect(arrayState(open, undefined, NOW)).toBe(open);
  });

  it('all succeeded: succeeded with exit code 0', () => {
    expect(arrayState(arrayJob('running', 'ss'), '2026-12-01T09:55:00.000Z', NOW)).toMatchObject({ state: 'succeeded', exitCode: 0, endTime: '2026-12-01T09:55:00.000Z' });
  });

  it('one failed and one ended outside: failed, naming the failed index and how to read its stderr', () => {
    expect(arrayState(arrayJob('running', 'sfc'), undefined, NOW)).toMatchObject({
      state: 'failed',
      reason: `1 of 3 tasks failed (indexes 1); see one's stderr with: dsvm-pool logs ${JOB} --index 1 --stream stderr`,
    });
  });

  it('ten failed: all ten named; eleven: the first ten and "…"', () => {
    expect(arrayState(arrayJob('running', 'sffffffffff'), undefined, NOW).reason).toBe(
      `10 of 11 tasks failed (indexes 1, 2, 3, 4, 5, 6, 7, 8, 9, 10); see one's stderr with: dsvm-pool logs ${JOB} --index 1 --stream stderr`,
    );
    expect(arrayState(arrayJob('running', 'fffffffffff'), undefined, NOW).reason).toBe(
      `11 of 11 tasks failed (indexes 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …); see one's stderr with: dsvm-pool logs ${JOB} --index 0 --stream stderr`,
    );
  });

  it('none failed but some ended outside dsvm-pool: failed, saying so', () => {
    expect(arrayState(arrayJob('running', 'sc'), undefined, NOW)).toMatchObject({ state: 'failed', reason: '1 of 2 tasks were ended outside dsvm-pool' });
  });
});
