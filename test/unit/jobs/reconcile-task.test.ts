// What a Batch task's state means for its job record, and the failure reason a person reads.
import { JOB_ID, jobInState } from './job-records.js';
import { describe, expect, it } from 'vitest';
import type { TaskSnapshot } from '../../../src/jobs/batch.port.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { reconcileTask } from '../../../src/jobs/reconcile-task.js';

const id = JOB_ID;
const now = new Date('2026-11-02T09:00:00Z');
const record = (state: JobState, patch: Partial<JobRecord> = {}): JobRecord => jobInState(state, { dispatchAttempts: 1, ...patch });
const task = (state: TaskSnapshot['state'], patch: Partial<TaskSnapshot> = {}): TaskSnapshot => ({ id: `job-${id}`, state, ...patch });
const failed = (patch: Partial<TaskSnapshot>) => reconcileTask(record('running'), task('completed', { result: 'failure', endTime: '2026-11-02T08:50:00Z', ...patch }), now);

describe('reconcileTask: states', () => {
  it('marks a dispatching job dispatched when its task waits for a node, keeping an earlier dispatchedAt', () => {
    for (const s of ['active', 'preparing'] as const) {
      expect(reconcileTask(record('dispatching'), task(s), now)).toMatchObject({ state: 'dispatched', dispatchedAt: now.toISOString(), updatedAt: now.toISOString() });
    }
    expect(reconcileTask(record('dispatching', { dispatchedAt: '2026-11-02T08:01:00Z' }), task('active'), now)).toMatchObject({ dispatchedAt: '2026-11-02T08:01:00Z' });
  });

  it('leaves a job already past dispatching alone when its task waits (again) for a node', () => {
    expect(reconcileTask(record('dispatched'), task('active'), now)).toBeUndefined();
    // Batch put the task back in its queue (a new transition time): nothing a person reads changed, no write.
    expect(reconcileTask(record('dispatched', { taskTransitionTime: 'T1' }), task('active', { stateTransitionTime: 'T2' }), now)).toBeUndefined();
    expect(reconcileTask(record('running'), task('preparing'), now)).toBeUndefined();
  });

  it('marks a job running with what Batch saw: start time, retries, transition time', () => {
    const seen = { startTime: '2026-11-02T08:05:00Z', retryCount: 1, stateTransitionTime: '2026-11-02T08:05:00Z' };
    expect(reconcileTask(record('dispatched'), task('running', seen), now)).toMatchObject({ state: 'running', startTime: seen.startTime, retryCount: 1, taskTransitionTime: seen.stateTransitionTime });
  });

  it('reports a running job again only when something Batch saw changed', () => {
    const r = record('running', { startTime: 'S1', retryCount: 0, taskTransitionTime: 'T1' });
    const same = { startTime: 'S1', retryCount: 0, stateTransitionTime: 'T1' };
    expect(reconcileTask(r, task('running', same), now)).toBeUndefined();
    expect(reconcileTask(r, task('running', {}), now)).toBeUndefined();
    expect(reconcileTask(r, task('running', { ...same, startTime: 'S2' }), now)).toMatchObject({ startTime: 'S2' });
    expect(reconcileTask(r, task('running', { ...same, retryCount: 1 }), now)).toMatchObject({ retryCount: 1 });
    expect(reconcileTask(r, task('running', { ...same, stateTransitionTime: 'T2' }), now)).toMatchObject({ taskTransitionTime: 'T2' });
  });

  it('marks a job succeeded when Batch says success, or gives no result and exit code 0', () => {
    expect(reconcileTask(record('running'), task('completed', { result: 'success', endTime: 'E' }), now)).toMatchObject({ state: 'succeeded', endTime: 'E', exitCode: 0 });
    expect(reconcileTask(record('running'), task('completed', { result: 'success', exitCode: 3 }), now)).toMatchObject({ state: 'succeeded', exitCode: 3 });
    expect(reconcileTask(record('running'), task('completed', { exitCode: 0 }), now)).toMatchObject({ state: 'succeeded', exitCode: 0 });
  });

  it('marks a job failed when Batch says failure even with exit code 0, or gives no result and another exit code', () => {
    expect(failed({ exitCode: 0, failureCode: 'FileUploadFailed' })).toMatchObject({ state: 'failed', exitCode: 0 });
    expect(reconcileTask(record('running'), task('completed', { exitCode: 1 }), now)).toMatchObject({ state: 'failed', exitCode: 1 });
  });

  it('finishes a cancel only once the task completed, at its end time or now', () => {
    expect(reconcileTask(record('cancelling'), task('running'), now)).toBeUndefined();
    expect(reconcileTask(record('cancelling'), task('completed', { result: 'success', exitCode: 0, endTime: 'E' }), now)).toMatchObject({ state: 'cancelled', endTime: 'E', exitCode: 0 });
    expect(reconcileTask(record('cancelling'), task('completed', { result: 'failure', exitCode: 137 }), now)).toMatchObject({ state: 'cancelled', endTime: now.toISOString(), exitCode: 137 });
  });

  it('never changes a final job, whatever a late task snapshot says', () => {
    expect(reconcileTask(record('succeeded'), task('running', { startTime: 'S9' }), now)).toBeUndefined();
    expect(reconcileTask(record('cancelled'), task('completed', { result: 'failure', exitCode: 1 }), now)).toBeUndefined();
  });
});

describe('reconcileTask: the failure reason', () => {
  it('says the command exited with its code, with the retries Batch made', () => {
    expect(failed({ exitCode: 2, failureCategory: 'usererror' })).toMatchObject({ failureCategory: 'usererror', reason: "the command exited with code 2; see the task's stderr.txt" });
    expect(failed({ exitCode: 2, retryCount: 1 })!.reason).toBe("the command exited with code 2 after 1 retry; see the task's stderr.txt");
    expect(failed({ exitCode: 2, retryCount: 3 })!.reason).toBe("the command exited with code 2 after 3 retries; see the task's stderr.txt");
  });

  it('says the task ran past its timeout, whether Batch says so in the code or the message', () => {
    const timeout = 'the task ran past its timeout (timeoutMinutes) and was stopped; raise timeoutMinutes or make the job shorter';
    expect(failed({ exitCode: 1, failureCode: 'MaxWallClockTimeExpiry' })!.reason).toBe(timeout);
    expect(failed({ failureMessage: 'Task timeout expired' })!.reason).toBe(timeout);
  });

  it("gives Batch's failure code and message when the command did not exit with a code", () => {
    expect(failed({ failureCode: 'FailureExitCode', failureMessage: 'The task exited' })!.reason).toBe('the task failed (FailureExitCode: The task exited)');
    expect(failed({ exitCode: 0, failureCode: 'FileUploadFailed', retryCount: 2 })!.reason).toBe('the task failed after 2 retries (FileUploadFailed)');
    expect(failed({})!.reason).toBe('the task failed');
  });
});
