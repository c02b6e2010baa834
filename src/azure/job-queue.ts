// The `jobs` queue: `{ "jobId": "…" }` as base64 JSON, the Functions queue trigger's default encoding
// (@azure/storage-queue sends text as is, so we encode).
import type { QueueClient } from '@azure/storage-queue';
import type { JobQueue } from '../jobs/job-queue.port.js';
import { classifyStorageError } from './job-store-errors.js';

export function encodeDispatchMessage(jobId: string): string {
  return Buffer.from(JSON.stringify({ jobId })).toString('base64');
}

/**
 * The job queue port over one Queue Storage queue. `timeoutMs` bounds one enqueue, retries included (0: unbounded);
 * a queue that does not answer in time is STORAGE_UNAVAILABLE.
 */
export function createJobQueue(queue: QueueClient, limits: { timeoutMs?: number } = {}): JobQueue {
  return {
    async enqueue(jobId, options) {
      try {
        // visibilityTimeout on Put Message: the message is hidden that long (Queue service REST "Put Message").
        const delay = options?.delaySeconds;
        const abortSignal = limits.timeoutMs ? AbortSignal.timeout(limits.timeoutMs) : undefined;
        await queue.sendMessage(encodeDispatchMessage(jobId), { ...(delay ? { visibilityTimeout: Math.ceil(delay) } : {}), ...(abortSignal ? { abortSignal } : {}) });
      } catch (error) {
        throw classifyStorageError(`enqueueing job ${jobId}`, error);
      }
    },
  };
}
