// README promises of the jobs API at their boundaries, with the expected values written here: the 64 KiB body limit
// (65,536 bytes accepted, 65,537 refused), `top` 1–100 on GET /jobs, and 409 for cancelling a finished job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, type JobsStack } from './jobs-stack.js';

const LIMIT = 65_536;

/** A valid job spec whose JSON text is exactly `bytes` long (env values pad it). */
function specOfBytes(bytes: number): string {
  const env: Record<string, string> = {};
  for (let i = 0; i < 16; i++) env[`PAD${i}`] = 'x'.repeat(4000);
  const base = JSON.stringify({ name: 'big', commandLine: 'x', env: { ...env, LAST: '' } });
  const missing = bytes - Buffer.byteLength(base);
  if (missing < 0 || missing > 4096) throw new Error(`cannot pad to ${bytes}`);
  const text = JSON.stringify({ name: 'big', commandLine: 'x', env: { ...env, LAST: 'y'.repeat(missing) } });
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe('jobs API boundaries', () => {
  let s: JobsStack;
  beforeAll(async () => {
    s = await startJobsStack();
  }, 60_000);
  afterAll(async () => s?.stop());

  it('accepts a job spec of exactly 64 KiB (65,536 bytes) and refuses 65,537 with 413', async () => {
    const json = { 'content-type': 'application/json' };
    const atLimit = await s.api('POST', '/jobs', { raw: specOfBytes(LIMIT), headers: json });
    expect(atLimit.status, JSON.stringify(atLimit.body).slice(0, 300)).toBe(202);
    const rows = await s.tableRows();
    const over = await s.api('POST', '/jobs', { raw: specOfBytes(LIMIT + 1), headers: json });
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(await s.tableRows()).toBe(rows);
  });

  it.each([
    ['1', 200],
    ['100', 200],
    ['101', 400],
    ['0', 400],
  ])('GET /jobs?top=%s → %i', async (top, status) => {
    const r = await s.api('GET', `/jobs?top=${top}`);
    expect(r.status).toBe(status);
    if (status === 400) expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('top');
  });

  it('answers 409 JOB_FINAL to a cancel of a succeeded job, and the job stays succeeded', async () => {
    const id = await s.submit({ name: 'done', commandLine: 'x', env: { EMULATOR_TASK_SECONDS: '30' } });
    await s.tickUntil(id, ['succeeded']);
    const r = await s.api('POST', `/jobs/${id}/cancel`);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('JOB_FINAL');
    expect((await s.job(id)).state).toBe('succeeded');
  });
});
