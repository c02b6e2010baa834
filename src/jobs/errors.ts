// Errors of the job service: values with a stable code that survives a process boundary (records, queue, HTTP).
// Adapters classify Azure errors into these once; src/http maps them to problem+json.
export type JobsErrorCode =
  | 'JOB_NOT_FOUND'
  | 'JOB_FINAL'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'LIST_FORBIDDEN'
  | 'PAGE_TOKEN_INVALID'
  | 'ROUTE_UNKNOWN_POOL'
  | 'ROUTE_IMPOSSIBLE'
  | 'ROUTE_NO_POOL'
  | 'CONCURRENT_UPDATE'
  | 'BATCH_THROTTLED'
  | 'BATCH_UNAVAILABLE'
  | 'BATCH_NOT_FOUND'
  | 'BATCH_JOB_MISSING'
  | 'BATCH_TASK_MISSING'
  | 'BATCH_LIST_CAPPED'
  | 'BATCH_REJECTED'
  | 'TASK_EXISTS'
  | 'STORAGE_THROTTLED'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_FAILED'
  | 'INTERNAL';

export class JobsError extends Error {
  override readonly name = 'JobsError';
  constructor(
    readonly code: JobsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Transient: the queue redelivers or the next sync tick retries. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === 'BATCH_THROTTLED' ||
    code === 'BATCH_UNAVAILABLE' ||
    code === 'BATCH_JOB_MISSING' ||
    code === 'STORAGE_THROTTLED' ||
    code === 'STORAGE_UNAVAILABLE' ||
    code === 'CONCURRENT_UPDATE'
  );
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof JobsError) return { code: error.code, message: error.message };
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: String(e?.message ?? error) };
}
