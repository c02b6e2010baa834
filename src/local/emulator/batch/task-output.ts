// The stdout.txt / stderr.txt of a simulated task, as Batch's file API serves them from the node: a header line, the
// task's EMULATOR_STDOUT text, one progress line per 10 simulated seconds it has run (so the file grows while the
// task runs), and how it ended. Pure: a function of the task record and the simulated time.
import type { TaskRecord } from './batch-records.js';

export const TASK_FILES = ['stdout.txt', 'stderr.txt'] as const;
export type TaskFile = (typeof TASK_FILES)[number];

const PROGRESS_EVERY_MS = 10_000;

function envOf(task: TaskRecord): Map<string, string> {
  return new Map(((task.body.environmentSettings ?? []) as { name: string; value: string }[]).map((e) => [e.name, e.value]));
}

/** The file's content now, or undefined when the task has not started on a node (there is no file yet). */
export function taskOutput(task: TaskRecord, file: TaskFile, now: number): Buffer | undefined {
  const start = task.execution.startTime;
  if (start === undefined || !task.nodeInfo) return undefined;
  const env = envOf(task);
  const done = task.state === 'completed';
  const end = done ? (task.execution.endTime ?? now) : now;
  const ranMs = Math.max(0, Math.min(end, now) - start);
  const lines: string[] = [];
  if (file === 'stdout.txt') {
    const index = env.get('DSVMPOOL_ARRAY_INDEX');
    lines.push(`[emulator] task ${task.id}${index !== undefined ? ` (array index ${index})` : ''} on node ${task.nodeInfo.nodeId}, attempt ${task.execution.retryCount + 1}`);
    const text = env.get('EMULATOR_STDOUT');
    if (text) lines.push(...text.split('\n'));
    const total = Math.round(task.durationMs / 1000);
    for (let t = PROGRESS_EVERY_MS; t <= ranMs; t += PROGRESS_EVERY_MS) lines.push(`progress: ${t / 1000} s of ${total} s`);
    if (done) lines.push(`finished with exit code ${task.execution.exitCode ?? 0}`);
  } else {
    const text = env.get('EMULATOR_STDERR');
    if (text) lines.push(...text.split('\n'));
    const exit = task.execution.exitCode;
    if (done && task.execution.failureInfo?.code === 'MaxWallClockTimeExceeded') lines.push('killed: the task ran past its maxWallClockTime');
    else if (done && exit !== undefined && exit !== 0) lines.push(`error: the command exited with code ${exit}`);
  }
  return Buffer.from(lines.length ? `${lines.join('\n')}\n` : '');
}
