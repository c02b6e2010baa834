// Group commit for Batch task adds: tasks handed in while a call is in flight (or in the same turn of the event
// loop) go out together in the next addtaskcollection call of up to 100. A queue trigger hands the app one
// message per invocation; the host runs many at once, so this is how "several messages at hand" become one call.
import type { AddTaskOutcome, BatchPort, TaskSpec } from './batch.port.js';

export const MAX_TASKS_PER_CALL = 100;

interface Pending {
  task: TaskSpec;
  resolve: (o: AddTaskOutcome) => void;
  reject: (e: unknown) => void;
}

export class TaskBatcher {
  private readonly waiting = new Map<string, Pending[]>();
  private readonly flushing = new Set<string>();
  /** Calls made and tasks sent, for benchmarks and logs. */
  readonly stats = { calls: 0, tasks: 0 };

  constructor(private readonly batch: Pick<BatchPort, 'addTasks'>) {}

  add(batchJobId: string, task: TaskSpec): Promise<AddTaskOutcome> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(batchJobId) ?? [];
      list.push({ task, resolve, reject });
      this.waiting.set(batchJobId, list);
      if (!this.flushing.has(batchJobId)) {
        this.flushing.add(batchJobId);
        setImmediate(() => void this.flush(batchJobId));
      }
    });
  }

  private async flush(batchJobId: string): Promise<void> {
    for (;;) {
      const list = this.waiting.get(batchJobId) ?? [];
      if (list.length === 0) break;
      const chunk = list.splice(0, MAX_TASKS_PER_CALL);
      this.stats.calls++;
      this.stats.tasks += chunk.length;
      try {
        const outcomes = await this.batch.addTasks(batchJobId, chunk.map((p) => p.task));
        const byId = new Map(outcomes.map((o) => [o.taskId, o]));
        for (const p of chunk) {
          p.resolve(byId.get(p.task.id) ?? { taskId: p.task.id, status: 'failed', code: 'BATCH_UNAVAILABLE', message: 'no result for the task', transient: true });
        }
      } catch (error) {
        for (const p of chunk) p.reject(error);
      }
    }
    this.waiting.delete(batchJobId);
    this.flushing.delete(batchJobId);
  }
}
