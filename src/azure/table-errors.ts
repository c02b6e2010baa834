// Table Storage errors of the autoscale stores (policies, scale events, leases), classified once by status code, so
// events and HTTP answers say STORAGE_THROTTLED rather than INTERNAL.
import { AutoscaleError } from '../autoscale/errors.js';
import { storageFailure } from './storage.js';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'REQUEST_SEND_ERROR']);

/**
 * 429 and 503 (Table's "server busy") → STORAGE_THROTTLED; other 5xx, network errors and a request abandoned after
 * the storage timeout (an AbortError from the SDK's HTTP client, see src/azure/storage.ts) → STORAGE_UNAVAILABLE.
 */
export function classifyTableError(what: string, error: unknown): AutoscaleError {
  if (error instanceof AutoscaleError) return error;
  const e = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const { abandoned, message } = storageFailure(what, error);
  if (status === 429 || status === 503) return new AutoscaleError('STORAGE_THROTTLED', message, { cause: error });
  if ((status !== undefined && status >= 500) || (status === undefined && NETWORK.has(String(e.code))) || abandoned) {
    return new AutoscaleError('STORAGE_UNAVAILABLE', message, { cause: error });
  }
  return new AutoscaleError('STORAGE_FAILED', message, { cause: error });
}

/** Runs one store call, classifying what it throws. */
export async function tableCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw classifyTableError(what, e);
  }
}
