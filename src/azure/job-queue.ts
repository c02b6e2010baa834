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
    async enqueue(jobId) {
      try {
        await queue.sendMessage(encodeDispatchMessage(jobId));
      } catch (error) {
        throw classifyStorageError(`enqueueing job ${jobId}`, error);
      }
    },
  };
}
