// Autoscale errors → problem+json. The only place their codes become HTTP statuses.
import type { HttpResponseInit } from '@azure/functions';
import type { AutoscaleErrorCode } from '../autoscale/errors.js';
import { codeProblem, problem } from './problem.js';

const statusOf: Partial<Record<AutoscaleErrorCode, [number, string]>> = {
  POOL_NOT_FOUND: [404, 'Pool not found'],
  POLICY_NOT_FOUND: [404, 'Policy not found'],
  POLICY_INVALID: [409, 'Pool policy is invalid'],
  POOL_DISABLED: [409, 'Autoscale is off for this pool'],
  POOL_BUSY: [409, 'Pool is being evaluated'],
  ARM_THROTTLED: [503, 'Azure is throttling requests'],
  ARM_UNAVAILABLE: [503, 'Azure is unavailable'],
  ARM_CONFLICT: [503, 'The scale set is busy'],
  ARM_TIMEOUT: [503, 'Azure did not answer in time'],
  EVALUATION_TIMEOUT: [503, 'Evaluation took too long'],
  ARM_LRO_FAILED: [502, 'An Azure operation failed'],
  NOT_FOUND: [502, 'The scale set was not found'],
  ARM_ERROR: [502, 'Azure returned an error'],
};

export function poolsProblem(error: unknown): HttpResponseInit {
  const e = (error ?? {}) as { code?: string; message?: string; problems?: { field: string; reason: string }[] };
  const errors = e.problems?.map((p) => ({ field: p.field, message: p.reason }));
  return codeProblem(statusOf, { code: e.code ?? 'INTERNAL', message: e.message, errors }, 10);
}

/** 403 for a non-admin; names the app role to ask for (`adminRole`, the DSVMPOOL_ADMIN_ROLE setting). */
export function adminOnly(adminRole: string): HttpResponseInit {
  return problem({
    status: 403,
    code: 'FORBIDDEN',
    title: 'Admins only',
    detail: `Reading and changing pool policies needs the app role "${adminRole}" (set by DSVMPOOL_ADMIN_ROLE); ask an admin to assign it to you.`,
  });
}
