// Azure errors, classified once at the boundary into the autoscale core's stable codes (by statusCode/code/name,
// never instanceof), so the core and the event log speak ARM_THROTTLED rather than RestError.
import { AutoscaleError, type AutoscaleErrorCode } from '../autoscale/errors.js';

interface RestErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  response?: { headers?: { get?(name: string): string | undefined } };
}

export function classifyArmError(error: unknown, what: string, waitAborted = false): AutoscaleError {
  if (error instanceof AutoscaleError) return error;
  const e = (error ?? {}) as RestErrorLike;
  const detail = `${what}: ${e.message ?? String(error)}`;
  const code = codeOf(e, waitAborted);
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  return new AutoscaleError(code, detail, { cause: error, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined });
}

function codeOf(e: RestErrorLike, waitAborted: boolean): AutoscaleErrorCode {
  if (e.name === 'AbortError' || waitAborted) return 'ARM_TIMEOUT';
  if (e.statusCode === 429) return 'ARM_THROTTLED';
  if (e.statusCode === 409) return 'ARM_CONFLICT';
  if (e.statusCode === 404) return 'NOT_FOUND';
  if (e.statusCode !== undefined && e.statusCode >= 500) return 'ARM_UNAVAILABLE';
  if (/long-running operation has failed/i.test(e.message ?? '')) return 'ARM_LRO_FAILED';
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'ETIMEDOUT' || e.code === 'REQUEST_SEND_ERROR') return 'ARM_UNAVAILABLE';
  return 'ARM_ERROR';
}
