// Storage errors of the job service's adapters, classified once by status code.
import { JobsError } from '../jobs/errors.js';
import { storageFailure } from './storage.js';

export function statusOf(error: unknown): number | undefined {
  const s = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function classifyStorageError(what: string, error: unknown): JobsError {
  if (error instanceof JobsError) return error;
  const status = statusOf(error);
  const { message } = storageFailure(what, error);
  if (status === 429 || status === 503) return new JobsError('STORAGE_THROTTLED', message, { cause: error });
  if (status === undefined || status >= 500) return new JobsError('STORAGE_UNAVAILABLE', message, { cause: error });
  return new JobsError('STORAGE_FAILED', message, { cause: error });
}
