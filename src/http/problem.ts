// RFC 9457 problem+json responses. The only place where error codes become HTTP statuses.
import type { HttpResponseInit } from '@azure/functions';

export interface Problem {
  status: number;
  /** A stable code, e.g. JOB_NOT_FOUND; also the last segment of `type`. */
  code: string;
  title: string;
  /** What happened and what the caller can do about it. */
  detail: string;
  /** Field-level errors: `{ field: 'resources.gpus', message: 'must be at most 8' }`. */
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export function problem(p: Problem, headers: Record<string, string> = {}): HttpResponseInit {
  const { status, code, title, detail, ...rest } = p;
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({
      type: `https://github.com/dsvm-pool/dsvm-pool/blob/main/README.md#error-${code.toLowerCase().replace(/_/g, '-')}`,
      title,
      status,
      detail,
      code,
      ...rest,
    }),
  };
}

/**
 * A module's error through its code → [status, title] table. An unknown code is a 500 whose detail hides the message
 * (it may carry internals); a 503 tells the caller when to retry.
 */
export function codeProblem(
  statusOf: Partial<Record<string, [number, string]>>,
  error: { code: string; message?: string; errors?: { field: string; message: string }[] },
  retryAfterSeconds: number,
): HttpResponseInit {
  const { code } = error;
  const [status, title] = statusOf[code] ?? [500, 'Internal error'];
  return problem(
    {
      status,
      code,
      title,
      detail: status === 500 ? `Something went wrong on our side (${code}); try again, and tell an admin if it persists.` : (error.message ?? title),
      ...(error.errors ? { errors: error.errors } : {}),
    },
    status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {},
  );
}
