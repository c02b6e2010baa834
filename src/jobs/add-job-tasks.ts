// Adding a job's Batch tasks: one task through the TaskBatcher (concurrent dispatches share addtaskcollection
// calls), or an array job's N tasks in collections of 100 (Batch's addtaskcollection limit), a few calls at a time.
// Outcomes are values; the first permanent failure or transient failure decides the result.
import type { AddTaskOutcome, BatchPort, TaskSpec } from './batch.port.js';
import type { DescribedPool } from './batch-policy.js';
import type { JobRecord } from './job-record.js';
import { MAX_TASKS_PER_CALL } from './task-batcher.js';
import { taskSpecFor } from './task-spec.js';

const PARALLEL_COLLECTIONS = 4;

export interface AddTasksResult {
  added: number;
  existed: number;
  /** The first failure, if any; transient failures are retried by redelivery (TaskExists makes that safe). */
  failure?: Extract<AddTaskOutcome, { status: 'failed' }>;
}

export async function addJobTasks(
  batch: Pick<BatchPort, 'addTasks'>,
  addTask: (batchJobId: string, task: TaskSpec) => Promise<AddTaskOutcome>,
  record: JobRecord,
  pool: DescribedPool,
  requiredSlots: number,
): Promise<AddTasksResult> {
  const location = record.batch!;
  const size = record.spec.array?.size;
  const outcomes: AddTaskOutcome[] = [];
  if (size === undefined) {
    outcomes.push(await addTask(location.jobId, taskSpecFor(record, pool, requiredSlots)));
  } else {
    const chunks: number[][] = [];
    for (let i = 0; i < size; i += MAX_TASKS_PER_CALL) chunks.push(Array.from({ length: Math.min(MAX_TASKS_PER_CALL, size - i) }, (_, k) => i + k));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_COLLECTIONS, chunks.length) }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          outcomes.push(...(await batch.addTasks(location.jobId, chunk.map((index) => taskSpecFor(record, pool, requiredSlots, index)))));
        }
      }),
    );
  }
  const result: AddTasksResult = { added: 0, existed: 0 };
  for (const o of outcomes) {
    if (o.status === 'added') result.added++;
    else if (o.status === 'exists') result.existed++;
    else if (o.status === 'failed' && (!result.failure || (!o.transient && result.failure.transient))) result.failure = o;
  }
  return result;
}
