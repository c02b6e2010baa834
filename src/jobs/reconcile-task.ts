// What a Batch task's state means for its job record. Pure: sync applies the result as an ETag-conditional write.
import type { TaskSnapshot } from './batch.port.js';
import type { JobRecord } from './job-record.js';
import { canTransition } from './job-state.js';

/** The record as it should be after seeing the task, or undefined when nothing changes. */
export function reconcileTask(record: JobRecord, task: TaskSnapshot, now: Date): JobRecord | undefined {
  const seen = {
    taskTransitionTime: task.stateTransitionTime ?? record.taskTransitionTime,
    startTime: task.startTime ?? record.startTime,
    retryCount: task.retryCount ?? record.retryCount,
  };
  let next: JobRecord;
  if (record.state === 'cancelling') {
    if (task.state !== 'completed') return undefined;
    next = { ...record, ...seen, state: 'cancelled', endTime: task.endTime ?? now.toISOString(), exitCode: task.exitCode };
  } else if (task.state === 'active' || task.state === 'preparing') {
    if (record.state !== 'dispatching') return undefined;
    next = { ...record, ...seen, state: 'dispatched', dispatchedAt: record.dispatchedAt ?? now.toISOString() };
  } else if (task.state === 'running') {
    next = { ...record, ...seen, state: 'running' };
  } else if (task.result === 'success' || (task.result === undefined && task.exitCode === 0)) {
    next = { ...record, ...seen, state: 'succeeded', endTime: task.endTime, exitCode: task.exitCode ?? 0 };
  } else {
    next = { ...record, ...seen, state: 'failed', endTime: task.endTime, exitCode: task.exitCode, failureCategory: task.failureCategory, reason: failureReason(task) };
  }
  if (!canTransition(record.state, next.state)) return undefined;
  const same =
    next.state === record.state &&
    next.startTime === record.startTime &&
    next.retryCount === record.retryCount &&
    next.taskTransitionTime === record.taskTransitionTime;
  return same ? undefined : { ...next, updatedAt: now.toISOString() };
}

function failureReason(task: TaskSnapshot): string {
  const retries = task.retryCount ? ` after ${task.retryCount} ${task.retryCount === 1 ? 'retry' : 'retries'}` : '';
  if (/timeout|wallclock|maxwallclock/i.test(`${task.failureCode ?? ''} ${task.failureMessage ?? ''}`)) {
    return `the task ran past its timeout (timeoutMinutes)${retries} and was stopped; raise timeoutMinutes or make the job shorter`;
  }
  if (task.exitCode !== undefined && task.exitCode !== 0) {
    return `the command exited with code ${task.exitCode}${retries}; see the task's stderr.txt`;
  }
  const what = [task.failureCode, task.failureMessage].filter(Boolean).join(': ');
  return `the task failed${retries}${what ? ` (${what})` : ''}`;
}
