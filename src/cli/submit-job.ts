// `dsvm-pool submit` sends a job at most once, however often it has to ask: every submission carries an
// Idempotency-Key (the user's, or a fresh UUID), and an answer that leaves the outcome open (the app unreachable, 429,
// 503: storage may still have taken the job) is retried with the same key and body, so the app hands back the job it
// already took instead of making a second one (README "Jobs API": a key is kept 24 hours).
import { randomUUID } from 'node:crypto';
import { ApiError, type ApiClient } from './client.js';
import type { JobView } from './follow.js';

/** Attempts of one submission (the first and the retries). */
export const SUBMIT_ATTEMPTS = 4;
/** Longest wait between two attempts, in seconds, whatever Retry-After says. */
export const MAX_RETRY_WAIT_SECONDS = 30;

export interface SubmitAnswer {
  id: string;
  state: string;
  job: JobView;
}

export interface SubmitOptions {
  /** The user's --idempotency-key; a fresh UUID when absent. */
  idempotencyKey?: string;
  /** Told before each retry: why, how long it waits, and the key it resends. */
  onRetry?: (why: string, waitSeconds: number, key: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** True when the submission may or may not have been taken: the same key must be sent again. */
export function outcomeOpen(e: unknown): e is ApiError {
  return e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status === 502 || e.status === 503 || e.status === 504);
}

/**
 * POST /jobs with an Idempotency-Key, retried with the same key while the outcome is open. Resolves with the job
 * (new, or the one an earlier attempt created); rejects with the last ApiError after SUBMIT_ATTEMPTS, or at once for
 * an answer that settles it (4xx other than 429).
 */
export async function submitOnce(client: ApiClient, spec: unknown, o: SubmitOptions = {}): Promise<SubmitAnswer> {
  const key = o.idempotencyKey ?? randomUUID();
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return (await client.call<SubmitAnswer>('POST', '/jobs', spec, { 'idempotency-key': key })).body;
    } catch (e) {
      if (!outcomeOpen(e) || attempt >= SUBMIT_ATTEMPTS) throw e;
      const wait = Math.min(MAX_RETRY_WAIT_SECONDS, e.retryAfterSeconds ?? 2 ** attempt);
      o.onRetry?.(`${e.code}: ${e.detail}`, wait, key);
      await sleep(wait * 1000);
    }
  }
}
