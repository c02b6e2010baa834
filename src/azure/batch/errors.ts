// Errors of the Batch client. Service errors become RestError with the Batch `code` (TaskExists, JobExists,
// ServerBusy, …) parsed from the Batch error body; limits we can check before sending are our own error value.
import { createRestError, type HttpResponse } from '@azure-rest/core-client';
import { RestError } from '@azure/core-rest-pipeline';

/** The Batch error body: `{ "odata.metadata", code, message: { lang, value }, values: [{ key, value }] }`. */
interface BatchErrorBody {
  code?: unknown;
  message?: unknown;
  values?: unknown;
}

function messageOf(body: BatchErrorBody | undefined): string | undefined {
  const m = body?.message;
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object' && typeof (m as { value?: unknown }).value === 'string') {
    return (m as { value: string }).value;
  }
  return undefined;
}

/** Turns a non-2xx Batch answer into a RestError carrying `statusCode` and the Batch `code`. */
export function batchRestError(response: HttpResponse): RestError {
  const body = typeof response.body === 'object' && response.body !== null ? (response.body as BatchErrorBody) : undefined;
  const code = typeof body?.code === 'string' ? body.code : undefined;
  const detail = messageOf(body) ?? `Unexpected status code ${response.status}`;
  const error = createRestError(`Batch ${code ?? response.status}: ${detail.split('\n')[0]}`, response);
  if (code !== undefined) error.code = code;
  return error as RestError;
}

export type BatchLimitCode = 'BATCH_TOO_MANY_TASKS' | 'BATCH_REQUEST_TOO_LARGE';

/** A request the service would reject for its size; raised before anything is sent. */
export class BatchLimitError extends Error {
  override readonly name = 'BatchLimitError';
  constructor(
    readonly code: BatchLimitCode,
    message: string,
  ) {
    super(message);
  }
}
