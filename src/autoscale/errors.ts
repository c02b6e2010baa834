// Errors of the autoscale core, as values with a stable code that survives logs, events and HTTP.
export type AutoscaleErrorCode =
  | 'POLICY_INVALID'
  | 'POLICY_NOT_FOUND'
  | 'POLICY_CONFLICT' // another enabled pool manages the same scale set
  | 'PAGE_TOKEN_INVALID'
  | 'POOL_NOT_FOUND'
  | 'POOL_DISABLED'
  | 'POOL_BUSY' // another evaluation holds the pool's lease
  | 'EVALUATION_TIMEOUT'
  | 'ARM_THROTTLED'
  | 'ARM_CONFLICT'
  | 'ARM_UNAVAILABLE'
  | 'ARM_LRO_FAILED'
  | 'ARM_TIMEOUT'
  | 'ARM_LRO_PENDING' // the operation was accepted but outlived the wait bound; it carries on in Azure
  | 'NOT_FOUND'
  | 'SCALE_SET_STUCK' // the scale set has been Updating (someone else's operation) past STUCK_UPDATING_MINUTES
  | 'STORAGE_THROTTLED' // Table Storage 429/503
  | 'STORAGE_UNAVAILABLE' // Table Storage 5xx or unreachable
  | 'STORAGE_FAILED'
  | 'ARM_ERROR';

export interface FieldProblem {
  field: string;
  reason: string;
}

export class AutoscaleError extends Error {
  constructor(
    readonly code: AutoscaleErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: FieldProblem[]; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutoscaleError';
    this.problems = options?.problems;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly problems?: FieldProblem[];
  readonly retryAfterSeconds?: number;
}

/** The stable code of any thrown value; unknown errors are reported as ARM_ERROR by the adapters' callers. */
export function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return 'INTERNAL';
}

/** An error as recorded in events and statuses: its stable code and its message. */
export function errorOf(error: unknown): { code: string; message: string } {
  return { code: errorCodeOf(error), message: error instanceof Error ? error.message : String(error) };
}
