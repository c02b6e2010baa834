// Array jobs: one job record, N indexed Batch tasks. The record keeps one character per task (its state as sync last
// saw it), so counts per state, the job's own state and which indexes failed are derived from one string, and sync
// updates them from the tasks it lists anyway (changed since the last change it saw). Pure.
import type { TaskSnapshot } from './batch.port.js';
import type { JobRecord } from './job-record.js';
import { canTransition } from './job-state.js';

/** Task state characters: waiting (active/preparing in Batch), running, succeeded, failed, cancelled. */
export const TASK = { waiting: 'w', running: 'r', succeeded: 's', failed: 'f', cancelled: 'c' } as const;

export interface TaskCounts {
  total: number;
  waiting: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export function countTasks(states: string): TaskCounts {
  const c: TaskCounts = { total: states.length, waiting: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (let i = 0; i < states.length; i++) {
    const ch = states.charCodeAt(i);
    if (ch === 119) c.waiting++;
    else if (ch === 114) c.running++;
    else if (ch === 115) c.succeeded++;
    else if (ch === 102) c.failed++;
    else c.cancelled++;
  }
  return c;
}

/** Tasks of the job that still hold (or will hold) a node slot: all of them before dispatch, then waiting + running. */
export function unfinishedTasks(record: JobRecord): number {
  const size = record.spec.array?.size ?? 1;
  if (!record.taskStates) return size;
  const c = countTasks(record.taskStates);
  return c.waiting + c.running;
}

/** Indexes in a state, at most `limit` of them (for messages). */
export function indexesIn(states: string, state: string, limit = 10): number[] {
  const out: number[] = [];
  for (let i = 0; i < states.length && out.length < limit; i++) if (states[i] === state) out.push(i);
  return out;
}

function charOf(task: TaskSnapshot): string {
  if (task.state === 'running') return TASK.running;
  if (task.state !== 'completed') return TASK.waiting;
  if (task.result === 'success' || (task.result === undefined && task.exitCode === 0)) return TASK.succeeded;
  return task.failureCode === 'TaskEnded' ? TASK.cancelled : TASK.failed;
}

/** The array job after seeing some of its tasks (index → snapshot), or undefined when nothing changes. */
export function reconcileArray(record: JobRecord, seen: Map<number, TaskSnapshot>, now: Date): JobRecord | undefined {
  const before = record.taskStates ?? TASK.waiting.repeat(record.spec.array?.size ?? 1);
  const chars = before.split('');
  let latest = record.taskTransitionTime;
  let startTime = record.startTime;
  let endTime = record.endTime;
  let exitCode = record.exitCode;
  for (const [index, task] of [...seen].sort((a, b) => a[0] - b[0])) {
    if (index < 0 || index >= chars.length) continue;
    // A task we cancelled stays cancelled even if Batch reports it finished differently.
    if (chars[index] !== TASK.cancelled) chars[index] = charOf(task);
    if (task.stateTransitionTime && (!latest || task.stateTransitionTime > latest)) latest = task.stateTransitionTime;
    if (task.startTime && (!startTime || task.startTime < startTime)) startTime = task.startTime;
    if (task.endTime && (!endTime || task.endTime > endTime)) endTime = task.endTime;
    if (chars[index] === TASK.failed && exitCode === undefined) exitCode = task.exitCode;
  }
  const states = chars.join('');
  const next = arrayState({ ...record, taskStates: states, taskTransitionTime: latest, startTime, exitCode }, endTime, now);
  if (!canTransition(record.state, next.state) && next.state !== record.state) return undefined;
  const same = next.state === record.state && states === before && latest === record.taskTransitionTime && startTime === record.startTime;
  return same ? undefined : { ...next, updatedAt: now.toISOString() };
}

/** The job state its task states imply. */
export function arrayState(record: JobRecord, endTime: string | undefined, now: Date): JobRecord {
  const states = record.taskStates!;
  const c = countTasks(states);
  const open = c.waiting + c.running;
  if (record.state === 'cancelling') {
    return open === 0 ? { ...record, state: 'cancelled', endTime: endTime ?? now.toISOString() } : record;
  }
  if (open > 0) {
    const state = c.running > 0 || record.state === 'running' || c.succeeded + c.failed > 0 ? 'running' : record.state === 'dispatching' ? 'dispatched' : record.state;
    return { ...record, state };
  }
  if (c.failed + c.cancelled === 0) return { ...record, state: 'succeeded', endTime, exitCode: 0 };
  const bad = indexesIn(states, TASK.failed, 10);
  const shown = bad.join(', ') + (c.failed > bad.length ? ', …' : '');
  const reason =
    c.failed > 0
      ? `${c.failed} of ${c.total} tasks failed (indexes ${shown}); see one's stderr with: dsvm-pool logs ${record.id} --index ${bad[0]} --stream stderr`
      : `${c.cancelled} of ${c.total} tasks were ended outside dsvm-pool`;
  return { ...record, state: 'failed', endTime, reason };
}
