// Errors of the job service: values with a stable code that survives a process boundary (records, queue, HTTP).
// Adapters classify Azure errors into these once; src/http maps them to problem+json.
export type JobsErrorCode =
  | 'JOB_NOT_FOUND'
  | 'POOL_NOT_FOUND'
  | 'JOB_FINAL'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'LIST_FORBIDDEN'
  | 'PAGE_TOKEN_INVALID'
  | 'ROUTE_UNKNOWN_POOL'
  | 'ROUTE_IMPOSSIBLE'
  | 'ROUTE_NO_POOL'
  | 'ROUTE_POOL_UNUSABLE'
  | 'BATCH_POOL_UNUSABLE'
  | 'DEPENDENCY_INVALID'
  | 'LOGS_INVALID'
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
  /** Fields of the request the error is about (`dependsOn.0`), for problem+json `errors`. */
  readonly errors?: { field: string; message: string }[];
  constructor(
    readonly code: JobsErrorCode,
    message: string,
    options?: { cause?: unknown; errors?: { field: string; message: string }[] },
  ) {
    super(message, options);
    if (options?.errors) this.errors = options.errors;
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

export function describeError(error: unknown): { code: string; message: string; errors?: { field: string; message: string }[] } {
  if (error instanceof JobsError) return { code: error.code, message: error.message, ...(error.errors ? { errors: error.errors } : {}) };
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: String(e?.message ?? error) };
}
