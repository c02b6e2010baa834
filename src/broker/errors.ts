// Errors of the broker, as values with a stable code that survives logs and HTTP.
export type BrokerErrorCode =
  | 'SEAT_CONFLICT' // another connect wrote the VM's seats row first (ETag mismatch); re-read and place again
  | 'POOL_NOT_FOUND'
  | 'POOL_DISABLED'
  | 'BROKER_BUSY'; // too many concurrent connects won the same seats; retry after a moment

export class BrokerError extends Error {
  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrokerError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly retryAfterSeconds?: number;
}
