// Identity errors → problem+json, with the WWW-Authenticate header RFC 6750 §3 asks of a bearer-token resource:
// `Bearer` alone when no credentials came, `error="invalid_request"|"invalid_token"` on 401, `insufficient_scope` on 403.
import type { HttpResponseInit } from '@azure/functions';
import { problem } from './problem.js';

/** Why a request has no caller, as a value with a stable code. */
export interface IdentityError {
  code: 'UNAUTHENTICATED' | 'TOKEN_INVALID' | 'PRINCIPAL_INVALID' | 'FORBIDDEN' | 'ISSUER_UNAVAILABLE';
  message: string;
  /** For TOKEN_INVALID: RFC 6750's error code for WWW-Authenticate. */
  bearerError?: 'invalid_request' | 'invalid_token';
}

const statusOf: Record<IdentityError['code'], [number, string]> = {
  UNAUTHENTICATED: [401, 'Who are you?'],
  TOKEN_INVALID: [401, 'Bearer token refused'],
  PRINCIPAL_INVALID: [401, 'Signed-in principal unreadable'],
  FORBIDDEN: [403, 'Missing app role'],
  ISSUER_UNAVAILABLE: [503, 'Cannot check the token now'],
};

export function identityProblem(e: IdentityError): HttpResponseInit {
  const [status, title] = statusOf[e.code];
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = e.bearerError ? `Bearer error="${e.bearerError}", error_description="${quotable(e.message)}"` : 'Bearer';
  if (status === 403) headers['www-authenticate'] = `Bearer error="insufficient_scope", error_description="${quotable(e.message)}"`;
  if (status === 503) headers['retry-after'] = '10';
  return problem({ status, code: e.code, title, detail: e.message }, headers);
}

const ASCII_FOR: Record<string, string> = { '→': '->', '←': '<-', '…': '...', '—': '-', '–': '-', '‘': "'", '’': "'", '“': "'", '”': "'", '\u00a0': ' ' };

/**
 * RFC 6750 §3 error_description: printable ASCII (%x20-21 / %x23-5B / %x5D-7E), so no `"` or `\`. Our messages'
 * arrows, dashes and quotes get their ASCII look-alikes, accented letters lose their accents (NFKD), and anything left
 * becomes `?`.
 */
export function quotable(s: string): string {
  return s
    .replace(/[→←…—–‘’“”\u00a0]/g, (c) => ASCII_FOR[c] ?? '?')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7e]/g, '?');
}
