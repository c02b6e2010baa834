// Job service errors → problem+json. The only place their codes become HTTP statuses.
import type { HttpResponseInit } from '@azure/functions';
import type { JobsErrorCode } from '../jobs/errors.js';
import { describeError } from '../jobs/errors.js';
import { codeProblem } from './problem.js';

const statusOf: Partial<Record<JobsErrorCode, [number, string]>> = {
  JOB_NOT_FOUND: [404, 'Job not found'],
  POOL_NOT_FOUND: [404, 'Pool not found'],
  JOB_FINAL: [409, 'Job already finished'],
  IDEMPOTENCY_KEY_REUSED: [422, 'Idempotency-Key reused with another body'],
  LIST_FORBIDDEN: [403, 'Not allowed'],
  PAGE_TOKEN_INVALID: [400, 'Invalid continuationToken'],
  CONCURRENT_UPDATE: [409, 'Job changed meanwhile'],
  LOGS_INVALID: [400, 'Invalid logs query'],
  DEPENDENCY_INVALID: [422, 'Invalid dependency'],
  BATCH_POOL_UNUSABLE: [422, 'Batch pool cannot take jobs'],
  ROUTE_UNKNOWN_POOL: [422, 'No such Batch pool'],
  ROUTE_IMPOSSIBLE: [422, 'No node can hold this job'],
  ROUTE_NO_POOL: [422, 'No Batch pool of this kind'],
  STORAGE_THROTTLED: [503, 'Storage is busy'],
  STORAGE_UNAVAILABLE: [503, 'Storage unavailable'],
  BATCH_THROTTLED: [503, 'Batch is busy'],
  BATCH_UNAVAILABLE: [503, 'Batch unavailable'],
};

export function jobsProblem(error: unknown): HttpResponseInit {
  return codeProblem(statusOf, describeError(error), 5);
}
