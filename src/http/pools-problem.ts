// Autoscale errors → problem+json. The only place their codes become HTTP statuses.
import type { HttpResponseInit } from '@azure/functions';
import type { AutoscaleErrorCode } from '../autoscale/errors.js';
import { codeProblem } from './problem.js';

const statusOf: Partial<Record<AutoscaleErrorCode, [number, string]>> = {
  POOL_NOT_FOUND: [404, 'Pool not found'],
  POLICY_NOT_FOUND: [404, 'Policy not found'],
  POLICY_INVALID: [409, 'Pool policy is invalid'],
  POLICY_CONFLICT: [409, 'Another pool manages this scale set'],
  PAGE_TOKEN_INVALID: [400, 'Invalid continuationToken'],
  POOL_DISABLED: [409, 'Autoscale is off for this pool'],
  POOL_BUSY: [409, 'Pool is being evaluated'],
  ARM_THROTTLED: [503, 'Azure is throttling requests'],
  ARM_UNAVAILABLE: [503, 'Azure is unavailable'],
  ARM_CONFLICT: [503, 'The scale set is busy'],
  ARM_TIMEOUT: [503, 'Azure did not answer in time'],
  EVALUATION_TIMEOUT: [503, 'Evaluation took too long'],
  ARM_LRO_FAILED: [502, 'An Azure operation failed'],
  STORAGE_THROTTLED: [503, 'Table Storage is throttling requests'],
  STORAGE_UNAVAILABLE: [503, 'Table Storage is unavailable'],
  STORAGE_FAILED: [502, 'Table Storage returned an error'],
  NOT_FOUND: [502, 'The scale set was not found'],
  ARM_ERROR: [502, 'Azure returned an error'],
};

export function poolsProblem(error: unknown): HttpResponseInit {
  const e = (error ?? {}) as { code?: string; message?: string; problems?: { field: string; reason: string }[] };
  const errors = e.problems?.map((p) => ({ field: p.field, message: p.reason }));
  return codeProblem(statusOf, { code: e.code ?? 'INTERNAL', message: e.message, errors }, 10);
}

/** Names PUT accepts for a new pool. */
export const NEW_POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
