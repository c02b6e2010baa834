// Payload hash of a job spec, Powertools-style: a reused Idempotency-Key with a different body is caught by it.
// The hash is over the parsed spec with keys sorted, so key order and whitespace do not matter.
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function specHash(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(spec))).digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The user's partition key part: 12 hex chars of sha256(user). */
export function userKeyOf(user: string): string {
  return sha256Hex(user.toLowerCase()).slice(0, 12);
}
