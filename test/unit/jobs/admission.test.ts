import { describe, expect, it } from 'vitest';
import { fairShare, fairShareAfterMark } from '../../../src/jobs/admission.js';
import { countTasks, reconcileArray } from '../../../src/jobs/array-tasks.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { gpuJobAt } from './job-records.js';
import { policy } from './memory-ports.js';

const t0 = new Date('2026-11-02T08:00:00Z');
const job = (state: JobState, spec: Record<string, unknown> = {}, minute = 0): JobRecord => gpuJobAt(state, {}, { name: 'j', ...spec }, minute);

describe('fair share', () => {
  const gpu = policy('gpu', { maxRunningGpusPerUser: 2 });

  it.each([
    [['running'], 'go'],
    [['running', 'dispatched'], 'wait'],
    [['succeeded', 'failed', 'running'], 'go'],
    [['queued', 'queued', 'running'], 'go'],
  ] as [JobState[], string][])('with the user holding %j, a 1-GPU job must %s (limit 2)', (states, verdict) => {
    expect(fairShare(job('queued'), gpu, states.map((s) => job(s))).verdict).toBe(verdict);
  });

  it('says which limit and how full it is', () => {
    expect(fairShare(job('queued'), gpu, [job('running'), job('running')])).toEqual({
      verdict: 'wait',
      reason: "your GPU limit on pool 'gpu': 2 of 2 in use, this job needs 1; it starts when your own jobs there finish",
    });
  });

  it('lets a job larger than the limit go when the user has nothing else there, so it is never held forever', () => {
    const sweep = job('queued', { array: { size: 10 } });
    expect(fairShare(sweep, gpu, []).verdict).toBe('go');
    expect(fairShare(sweep, gpu, [job('running')]).verdict).toBe('wait');
  });

  it('counts an array by its unfinished tasks and limits jobs waiting for a node', () => {
    const running = { ...job('running', { array: { size: 4 } }), taskStates: 'ssrw' };
    expect(fairShare(job('queued'), policy('gpu', { maxRunningJobsPerUser: 3 }), [running]).verdict).toBe('go');
    expect(fairShare(job('queued'), policy('gpu', { maxRunningJobsPerUser: 2 }), [running]).verdict).toBe('wait');
    expect(fairShare(job('queued'), policy('gpu', { maxQueuedJobsPerUser: 1 }), [job('dispatched')]).verdict).toBe('wait');
  });

  it('after two dispatches marked at once, the older one keeps its place and the younger waits', () => {
    const older = job('dispatching', {}, 1);
    const younger = job('dispatching', {}, 2);
    const held = [job('running'), older, younger];
    expect(fairShareAfterMark(older, gpu, held).verdict).toBe('go');
    expect(fairShareAfterMark(younger, gpu, held).verdict).toBe('wait');
  });
});

describe('array task states', () => {
  const task = (id: string, state: 'active' | 'running' | 'completed', extra: Record<string, unknown> = {}) => ({ id, state, stateTransitionTime: t0.toISOString(), ...extra });

  it('summarises tasks and fails naming the failed indexes once all ended', () => {
    const r = { ...job('running', { array: { size: 3 } }), taskStates: 'rrr' };
    const next = reconcileArray(
      r,
      new Map([
        [0, task('a', 'completed', { result: 'success', exitCode: 0 })],
        [1, task('b', 'completed', { result: 'failure', exitCode: 2 })],
        [2, task('c', 'completed', { result: 'success', exitCode: 0 })],
      ]),
      t0,
    )!;
    expect(countTasks(next.taskStates!)).toEqual({ total: 3, waiting: 0, running: 0, succeeded: 2, failed: 1, cancelled: 0 });
    expect(next).toMatchObject({ state: 'failed', exitCode: 2 });
    expect(next.reason).toContain('1 of 3 tasks failed (indexes 1)');
  });

  it('stays running while a task waits, and changes nothing when nothing changed', () => {
    const r = { ...job('dispatched', { array: { size: 2 } }), taskStates: 'ww' };
    const next = reconcileArray(r, new Map([[0, task('a', 'running')]]), t0)!;
    expect(next.state).toBe('running');
    expect(next.taskStates).toBe('rw');
    expect(reconcileArray(next, new Map([[0, task('a', 'running')]]), t0)).toBeUndefined();
  });
});
