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
