// problem+json as README's Errors section promises it: the RFC 9457 members, the code's anchor as `type`, a stable
// code → status table per module, 500 hiding internals, Retry-After only on 503, and RFC 6750 WWW-Authenticate on
// identity failures.
import { describe, expect, it } from 'vitest';
import { brokerProblem } from '../../../src/http/broker-answer.js';
import { identityProblem } from '../../../src/http/identity-problem.js';
import { codeProblem, problem } from '../../../src/http/problem.js';
import { unauthenticated } from '../../../src/http/unauthenticated.js';

const bodyOf = (r: { body?: unknown }) => JSON.parse(String(r.body)) as Record<string, unknown>;
const headersOf = (r: { headers?: unknown }) => r.headers as Record<string, string>;

describe('problem()', () => {
  it('writes the RFC 9457 members, the code, and a type that is the code\'s README anchor', () => {
    const r = problem({ status: 409, code: 'POOL_BUSY_NOW', title: 'Busy', detail: 'Try later.' });
    expect(r.status).toBe(409);
    expect(r.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(bodyOf(r)).toEqual({
      type: 'https://github.com/dsvm-pool/dsvm-pool/blob/main/README.md#error-pool-busy-now',
      title: 'Busy',
      status: 409,
      detail: 'Try later.',
      code: 'POOL_BUSY_NOW',
    });
  });

  it('keeps extension members and field errors, and adds the extra headers', () => {
    const r = problem({ status: 400, code: 'X', title: 't', detail: 'd', errors: [{ field: 'a', message: 'b' }], step: 'start 0' }, { 'retry-after': '3' });
    expect(r.headers).toEqual({ 'content-type': 'application/problem+json', 'retry-after': '3' });
    expect(bodyOf(r)).toMatchObject({ errors: [{ field: 'a', message: 'b' }], step: 'start 0', type: expect.stringMatching(/#error-x$/) });
  });
});

describe('codeProblem()', () => {
  const table = { SOME_BUSY: [503, 'Busy'], SOME_GONE: [404, 'Gone'], SOME_BAD: [400, 'Bad'] } as Record<string, [number, string]>;

  it('maps a known code to its status and title, with the message as detail', () => {
    const r = codeProblem(table, { code: 'SOME_GONE', message: 'No such thing "x".' }, 7);
    expect(r.status).toBe(404);
    expect(r.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(bodyOf(r)).toEqual(expect.objectContaining({ status: 404, code: 'SOME_GONE', title: 'Gone', detail: 'No such thing "x".' }));
    expect(bodyOf(r)).not.toHaveProperty('errors');
  });

  it('uses the title as detail when the error has no message', () => {
    expect(bodyOf(codeProblem(table, { code: 'SOME_GONE' }, 7)).detail).toBe('Gone');
  });

  it('sends Retry-After with the given seconds on a 503 only', () => {
    expect(headersOf(codeProblem(table, { code: 'SOME_BUSY', message: 'm' }, 7))['retry-after']).toBe('7');
    expect(headersOf(codeProblem(table, { code: 'SOME_BAD', message: 'm' }, 7))).not.toHaveProperty('retry-after');
  });

  it('passes field errors on', () => {
    const errors = [{ field: 'maxInstances', message: 'must be at least 1' }];
    expect(bodyOf(codeProblem(table, { code: 'SOME_BAD', message: 'm', errors }, 7)).errors).toEqual(errors);
  });

  it('answers an unknown code with 500 "Internal error", keeping the code but not the message', () => {
    const r = codeProblem(table, { code: 'WEIRD', message: 'socket hang up at 10.0.0.4' }, 7);
    expect(r.status).toBe(500);
    expect(headersOf(r)).not.toHaveProperty('retry-after');
    expect(bodyOf(r)).toMatchObject({
      code: 'WEIRD',
      title: 'Internal error',
      detail: 'Something went wrong on our side (WEIRD); try again, and tell an admin if it persists.',
    });
  });
});

describe('broker errors as problem+json', () => {
  it('answers BROKER_BUSY with 503 and Retry-After: 2', () => {
    const r = brokerProblem({ code: 'BROKER_BUSY', message: 'Too many people are connecting to gpu at once.' });
    expect(r.status).toBe(503);
    expect(headersOf(r)['retry-after']).toBe('2');
    expect(bodyOf(r)).toMatchObject({ code: 'BROKER_BUSY', title: 'Too many connects at once', detail: 'Too many people are connecting to gpu at once.' });
  });

  it('hands pool codes to the pools table (POOL_NOT_FOUND → 404, ARM_THROTTLED → 503 after 10 s)', () => {
    expect(brokerProblem({ code: 'POOL_NOT_FOUND', message: 'no pool' }).status).toBe(404);
    expect(headersOf(brokerProblem({ code: 'ARM_THROTTLED', message: 'slow down' }))['retry-after']).toBe('10');
  });

  it.each([[undefined], [null], [new Error('boom at 10.0.0.4')]])('answers %s with a 500 INTERNAL', (error) => {
    const r = brokerProblem(error);
    expect(r.status).toBe(500);
    expect(bodyOf(r).code).toBe('INTERNAL');
  });
});

describe('identity problems', () => {
  it.each([
    ['UNAUTHENTICATED', undefined, 401, 'Who are you?', 'Bearer'],
    ['TOKEN_INVALID', 'invalid_token', 401, 'Bearer token refused', 'Bearer error="invalid_token", error_description="why"'],
    ['TOKEN_INVALID', 'invalid_request', 401, 'Bearer token refused', 'Bearer error="invalid_request", error_description="why"'],
    ['PRINCIPAL_INVALID', undefined, 401, 'Signed-in principal unreadable', 'Bearer'],
    ['FORBIDDEN', undefined, 403, 'Missing app role', 'Bearer error="insufficient_scope", error_description="why"'],
  ] as const)('%s (%s) → %i "%s" with WWW-Authenticate %s', (code, bearerError, status, title, challenge) => {
    const r = identityProblem({ code, message: 'why', ...(bearerError ? { bearerError } : {}) });
    expect(r.status).toBe(status);
    expect(r.headers).toEqual({ 'content-type': 'application/problem+json', 'www-authenticate': challenge });
    expect(bodyOf(r)).toMatchObject({ status, code, title, detail: 'why' });
  });

  it('answers ISSUER_UNAVAILABLE with 503, Retry-After: 10 and no challenge', () => {
    const r = identityProblem({ code: 'ISSUER_UNAVAILABLE', message: 'keys down' });
    expect(r.status).toBe(503);
    expect(r.headers).toEqual({ 'content-type': 'application/problem+json', 'retry-after': '10' });
    expect(bodyOf(r).title).toBe('Cannot check the token now');
  });

  it('makes error_description quotable: " and \\ become \', arrows and accents their ASCII look-alikes, anything else ?', () => {
    const r = identityProblem({ code: 'FORBIDDEN', message: 'a "b" c\\d é\u0001~ ' });
    expect(headersOf(r)['www-authenticate']).toBe('Bearer error="insufficient_scope", error_description="a \'b\' c\'d e?~ "');
    const t = identityProblem({ code: 'TOKEN_INVALID', bearerError: 'invalid_token', message: '"x"\n' });
    expect(headersOf(t)['www-authenticate']).toBe('Bearer error="invalid_token", error_description="\'x\'?"');
    // Our messages' arrows, dashes and quotes read as their ASCII look-alikes, not as "?".
    const arrows = identityProblem({ code: 'FORBIDDEN', message: 'Entra ID (Enterprise applications → dsvm-pool → Users and groups) — “Zoë” …\u4e2d' });
    expect(headersOf(arrows)['www-authenticate']).toBe("Bearer error=\"insufficient_scope\", error_description=\"Entra ID (Enterprise applications -> dsvm-pool -> Users and groups) - 'Zoe' ...?\"");
    // The problem body keeps the message as it was.
    expect(bodyOf(r).detail).toBe('a "b" c\\d é\u0001~ ');
  });

  it.each([
    ['→', '->'],
    ['←', '<-'],
    ['…', '...'],
    ['—', '-'],
    ['–', '-'],
    ['‘', "'"],
    ['’', "'"],
    ['“', "'"],
    ['”', "'"],
    ['\u00a0', ' '],
    ['\u4e2d', '?'],
  ])('writes %j in error_description as %j', (c, ascii) => {
    const r = identityProblem({ code: 'FORBIDDEN', message: `a${c}b` });
    expect(headersOf(r)['www-authenticate']).toBe(`Bearer error="insufficient_scope", error_description="a${ascii}b"`);
  });

  it('answers a request without credentials 401 UNAUTHENTICATED, saying how to sign in', () => {
    const r = unauthenticated();
    expect(r.status).toBe(401);
    expect(headersOf(r)['www-authenticate']).toBe('Bearer');
    expect(bodyOf(r)).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: 'The request carries no credentials. Send "Authorization: Bearer <Entra access token>" (README, Security) or sign in at /.auth/login/aad in a browser.',
    });
  });
});
