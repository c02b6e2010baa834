// Error bodies in the shape each Azure API family answers with, so the SDKs surface RestError.code as in Azure.
import type { ApiFamily, EmuResponse } from './route.js';

export function errorResponse(family: ApiFamily, status: number, code: string, message: string, headers?: Record<string, string>, details?: { code: string; target?: string; message: string }[]): EmuResponse {
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
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-failure-cause': 'service', ...headers }, body: { error: details ? { code, message, details } : { code, message } } };
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

/**
 * A 429 as Azure answers it when a fault rule names no code. Compute (CRP) throttling is `OperationNotAllowed` with a
 * `TooManyRequests` detail naming the exhausted policy (Learn, "Troubleshooting API throttling errors" for Azure
 * VMs); Azure Resource Manager's own subscription limits answer `SubscriptionRequestsThrottled` (Learn, "Understand
 * how Azure Resource Manager throttles requests"; the AKS error page "TooManyRequestsReceived or
 * SubscriptionRequestsThrottled").
 */
export function throttledResponse(family: ApiFamily, operation: string, message: string, headers: Record<string, string>): EmuResponse {
  if (family === 'batch') return errorResponse(family, 429, 'TooManyRequests', message, headers);
  if (operation.startsWith('compute.')) {
    return errorResponse(family, 429, 'OperationNotAllowed', 'The server rejected the request because too many requests have been received for this subscription.', headers, [
      { code: 'TooManyRequests', target: 'HighCostGetVMScaleSet30Min', message },
    ]);
  }
  return errorResponse(family, 429, 'SubscriptionRequestsThrottled', message, headers);
}

/** ARM's challenge on a 401: where to get a token (RFC 6750 `Bearer` with Entra's authorization_uri). */
export const ARM_AUTH_CHALLENGE =
  'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."';
