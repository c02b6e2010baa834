// The `jobs` queue: `{ "jobId": "…" }` as base64 JSON, the Functions queue trigger's default encoding
// (@azure/storage-queue sends text as is, so we encode).
import type { QueueClient } from '@azure/storage-queue';
import type { JobQueue } from '../jobs/job-queue.port.js';
import { classifyStorageError } from './job-store-errors.js';

export function encodeDispatchMessage(jobId: string): string {
  return Buffer.from(JSON.stringify({ jobId })).toString('base64');
}

export function createJobQueue(queue: QueueClient): JobQueue {
  return {
    async enqueue(jobId, options) {
      try {
        // visibilityTimeout on Put Message: the message is hidden that long (Queue service REST "Put Message").
        const delay = options?.delaySeconds;
        await queue.sendMessage(encodeDispatchMessage(jobId), delay ? { visibilityTimeout: Math.ceil(delay) } : undefined);
      } catch (error) {
        throw classifyStorageError(`enqueueing job ${jobId}`, error);
      }
    },
  };
}
