// The CLI's submit: one job however often it asks. A fake ApiClient (the CLI's one seam to the app) answers each
// attempt; the test checks the key sent, the retries and their waits, and what settles the outcome.
import { describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../../../src/cli/client.js';
import { submitOnce } from '../../../src/cli/submit-job.js';

type Step = { ok: true } | { status: number; code?: string; retryAfter?: number };

function client(steps: Step[]) {
  const sent: { key: string | undefined; body: unknown }[] = [];
  const c: ApiClient = {
    async call(method, path, body, headers = {}) {
      expect([method, path]).toEqual(['POST', '/jobs']);
      sent.push({ key: headers['idempotency-key'], body });
      const step = steps.shift()!;
      if ('ok' in step) return { status: 202, headers: new Headers(), body: { id: 'j1', state: 'queued', job: { id: 'j1' } } as never };
      throw new ApiError(step.status, step.code ?? `HTTP_${step.status}`, 'not now', [], step.retryAfter);
    },
  };
  return { c, sent };
}

const noSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

describe('submitOnce', () => {
  it('sends a fresh Idempotency-Key when the user gave none, and a new one per submission', async () => {
    const a = client([{ ok: true }, { ok: true }]);
    await submitOnce(a.c, { name: 'x' });
    await submitOnce(a.c, { name: 'x' });
    expect(a.sent[0]!.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.sent[1]!.key).not.toBe(a.sent[0]!.key);
  });

  it('resends the same key and body after 503, 429 and an unreachable app, waiting Retry-After (at most 30 s), then returns the job', async () => {
    const a = client([{ status: 503, code: 'STORAGE_UNAVAILABLE', retryAfter: 5 }, { status: 0, code: 'UNREACHABLE' }, { status: 429, retryAfter: 31 }, { ok: true }]);
    const s = noSleep();
    const told: string[] = [];
    const r = await submitOnce(a.c, { name: 'x' }, { idempotencyKey: 'mine', sleep: s.sleep, onRetry: (why, wait, key) => told.push(`${why}|${wait}|${key}`) });
    expect(r.id).toBe('j1');
    expect(a.sent.map((x) => x.key)).toEqual(['mine', 'mine', 'mine', 'mine']);
    expect(a.sent.every((x) => JSON.stringify(x.body) === '{"name":"x"}')).toBe(true);
    // Retry-After 5; none given on the 2nd failure → 2^2 = 4; 31 is capped at 30.
    expect(s.waits).toEqual([5_000, 4_000, 30_000]);
    expect(told[0]).toBe('STORAGE_UNAVAILABLE: not now|5|mine');
  });

  it('gives up after 4 attempts with the last error', async () => {
    const a = client([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503, code: 'LAST' }, { ok: true }]);
    await expect(submitOnce(a.c, {}, { sleep: noSleep().sleep })).rejects.toMatchObject({ status: 503, code: 'LAST' });
    expect(a.sent).toHaveLength(4);
  });

  it.each([400, 401, 403, 404, 409, 413, 415, 422, 500])('does not resend after %i: that answer settles it', async (status) => {
    const a = client([{ status }, { ok: true }]);
    await expect(submitOnce(a.c, {}, { sleep: noSleep().sleep })).rejects.toMatchObject({ status });
    expect(a.sent).toHaveLength(1);
  });
});
