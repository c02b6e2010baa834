// Error bodies in the shape each Azure API family answers with, so the SDKs surface RestError.code as in Azure.
import type { ApiFamily, EmuResponse } from './route.js';

export function errorResponse(family: ApiFamily, status: number, code: string, message: string, headers?: Record<string, string>): EmuResponse {
  if (family === 'batch') {
    return {
      status,
      headers: { 'content-type': 'application/json;odata=minimalmetadata', ...headers },
      body: {
        'odata.metadata': 'https://batch.core.windows.net/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element',
        code,
        message: { lang: 'en-US', value: message },
      },
    };
  }
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-failure-cause': 'service', ...headers }, body: { error: { code, message } } };
}

/** The code Azure uses for a status, per family, when a fault rule names none. */
export function defaultErrorCode(family: ApiFamily, status: number): string {
  const batch = family === 'batch';
  if (status === 429) return 'TooManyRequests';
  if (status === 409) return batch ? 'OperationConflict' : 'Conflict';
  if (status === 503) return batch ? 'ServerBusy' : 'ServiceUnavailable';
  if (status === 500) return 'InternalServerError';
  return 'Error';
}
