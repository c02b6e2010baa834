// The problem+json part of the OpenAPI document: the RFC 9457 `Problem` schema and the error responses each operation
// lists, with one wording per status so every area's routes read alike. Each area's `openapi-<area>.ts` builds its
// operations' error responses with `problemResponses`.

type Json = Record<string, unknown>;

/** The statuses a route of this app can answer with problem+json. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503;

/** The usual meaning of each status here; an operation may say something more precise. */
export const PROBLEM_WORDING: Record<ProblemStatus, string> = {
  400: 'Invalid input; `errors` names each invalid field.',
  401: 'No signed-in caller, or (where function keys are on) no valid function key.',
  403: 'The caller is signed in but not allowed to do this.',
  404: 'No such resource, or not yours to see.',
  409: 'The resource is in a state that does not allow this now.',
  413: 'The request body is too large.',
  415: 'The body is not sent as `application/json`.',
  422: 'The request is well-formed but conflicts with an earlier one.',
  429: 'Too many requests; wait for `Retry-After` seconds.',
  500: 'Something went wrong on our side; `code` says what, try again and tell an admin if it persists.',
  502: 'Azure answered with an error; `code` and `detail` say which.',
  503: 'Storage or Azure is busy or unreachable; retry after `Retry-After` seconds.',
};

export const problemSchema: Json = {
  type: 'object',
  description: 'RFC 9457 problem details. `type` links to the README section that explains `code`; `errors` names each invalid field.',
  properties: {
    type: { type: 'string', format: 'uri', description: 'Link to the README section on this code.' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What happened and what to do about it.' },
    code: { type: 'string', description: 'Stable error code, e.g. JOB_NOT_FOUND, VALIDATION_FAILED.' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
};

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

/**
 * Error responses for an operation: each status given (with `true` for the usual wording, or a sentence of its own),
 * plus 500, which any operation can answer. Returns `{ '404': { description, content }, … }` for `responses`.
 */
export function problemResponses(statuses: Partial<Record<ProblemStatus, string | true>>): Record<string, Json> {
  const all: Partial<Record<ProblemStatus, string | true>> = { ...statuses, 500: statuses[500] ?? true };
  return Object.fromEntries(
    Object.entries(all).map(([status, wording]) => {
      const code = Number(status) as ProblemStatus;
      return [
        status,
        {
          description: wording === true || wording === undefined ? PROBLEM_WORDING[code] : wording,
          ...(code === 503 || code === 429 ? { headers: retryAfter } : {}),
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      ];
    }),
  );
}
