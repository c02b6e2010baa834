// Continuation tokens of job listings: opaque to callers, bound to the query they came from, so a token cannot be
// replayed against another user's listing or another filter.
import { sha256Hex } from './spec-hash.js';

export interface PageScope {
  user?: string;
  state?: string;
  pool?: string;
}

function scopeHash(scope: PageScope): string {
  return sha256Hex(JSON.stringify([scope.user ?? '', scope.state ?? '', scope.pool ?? ''])).slice(0, 16);
}

export function encodePageToken(after: string, scope: PageScope): string {
  return Buffer.from(JSON.stringify({ v: 1, a: after, s: scopeHash(scope) })).toString('base64url');
}

/** The position in the token, or undefined when the token is malformed or belongs to another query. */
export function decodePageToken(token: string, scope: PageScope): string | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; a?: unknown; s?: unknown };
    if (t.v !== 1 || typeof t.a !== 'string' || t.s !== scopeHash(scope)) return undefined;
    if (!/^[0-9a-z-]{1,80}$/.test(t.a)) return undefined;
    return t.a;
  } catch {
    return undefined;
  }
}
