// Job logs through Batch's file API (while running and after, paged by byte offset, owner and admins only) and
// job arrays (N indexed tasks added 100 per call, state summarised from the tasks, cancel stops the rest, logs per
// index), over HTTP against Azurite, the Batch emulator and the host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, startJobsStack, type JobsStack } from './jobs-stack.js';

describe('job logs and arrays', () => {
  let s: JobsStack;
  beforeAll(async () => {
    s = await startJobsStack();
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const logs = async (id: string, query = '', user = 'ann', admin = false) => s.api('GET', `/jobs/${id}/logs${query}`, { user, admin });
  const readAll = async (id: string, query: string, pageBytes: number) => {
    let offset = 0;
    let text = '';
    for (let i = 0; i < 100; i++) {
      const page = await logs(id, `?${query}&offset=${offset}&length=${pageBytes}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      text += page.body.text;
      if (page.body.nextOffset === offset) return { text, last: page.body };
      offset = page.body.nextOffset;
    }
    throw new Error('log did not end');
  };

  it("reads a job's stdout while it runs (the file grows) and after, paged by byte offset", async () => {
    const id = await s.submit({ name: 'chatty', commandLine: 'python train.py', env: { EMULATOR_TASK_SECONDS: '600', EMULATOR_STDOUT: 'loading data\nepoch 1' } });
    const before = await logs(id);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ text: '', size: 0, nextOffset: 0, complete: false });
    await s.tickUntil(id, ['running']);
    await s.tick(60);
    const early = (await readAll(id, 'stream=stdout', 40)).text;
    expect(early).toContain('loading data\nepoch 1\n');
    expect(early).toMatch(/progress: 10 s of 600 s/);
    expect(early).not.toContain('finished');
    await s.tick(120);
    const later = await readAll(id, 'stream=stdout', 1000);
    expect(later.text.startsWith(early)).toBe(true);
    expect(later.text.length).toBeGreaterThan(early.length);
    expect(later.last.complete).toBe(false);
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    const after = await readAll(id, 'stream=stdout', 64 * 1024);
    expect(after.text).toContain('progress: 600 s of 600 s\nfinished with exit code 0\n');
    expect(after.last.complete).toBe(true);
    // Another user cannot see it; an admin can.
    expect((await logs(id, '', 'bob')).status).toBe(404);
    expect((await logs(id, '', 'root', true)).body.text).toContain('loading data');
  });

  it("shows a failed job's stderr", async () => {
    const id = await s.submit({ name: 'crash', commandLine: 'x', env: { EMULATOR_TASK_SECONDS: '20', EMULATOR_EXIT_CODE: '3' } });
    await s.tickUntil(id, ['failed']);
    expect((await logs(id, '?stream=stderr')).body).toMatchObject({ text: 'error: the command exited with code 3\n', complete: true });
  });

  it.each([
    ['?stream=stdin', 'stream'],
    ['?offset=-1', 'offset'],
    ['?length=0', 'length'],
    ['?length=abc', 'length'],
    ['?index=2', 'index'],
    ['?tail=1', 'tail'],
  ])('refuses %s with 400 problem+json naming %s', async (query, field) => {
    const id = await s.submit({ name: 'q', commandLine: 'x', env: { EMULATOR_TASK_SECONDS: '10' } });
    const r = await logs(id, query);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  // Earlier tests' jobs are dispatched in the background (and dispatch writes their index rows): let them settle.
  const settle = () =>
    pollUntil(async () => (await s.api('GET', '/jobs?state=queued')).body.items.length === 0 && (await s.api('GET', '/jobs?state=dispatching')).body.items.length === 0, 'earlier jobs to leave dispatch');

  it('runs an array as indexed tasks, summarises their states, fails naming the failed index, and serves logs per index', async () => {
    await settle();
    const rows = await s.tableRows();
    const bad = await s.api('POST', '/jobs', { body: { name: 'sweep', commandLine: 'x', array: { size: 10001 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'array.size', message: 'must be at most 10000' }]);
    expect((await s.api('POST', '/jobs', { body: { name: 'sweep', commandLine: 'x', array: { size: 0 } } })).body.errors[0].field).toBe('array.size');
    expect((await s.api('POST', '/jobs', { body: { name: 'sweep', commandLine: 'x', array: { count: 3 } } })).body.errors.map((e: { field: string }) => e.field)).toContain('array.count');
    expect(await s.tableRows()).toBe(rows);

    const id = await s.submit({ name: 'sweep', commandLine: 'python sweep.py', array: { size: 6 }, env: { EMULATOR_TASK_SECONDS: '30', EMULATOR_FAIL_INDEXES: '3' } });
    const dispatched = await s.waitFor(id, ['dispatched']);
    expect(dispatched.tasks).toEqual({ total: 6, waiting: 6, running: 0, succeeded: 0, failed: 0, cancelled: 0 });
    const tasks = s.emulator.batch.state().tasks.filter((t) => t.id.startsWith(`job-${id}-`));
    expect(tasks.map((t) => t.id).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `job-${id}-${i}`).sort());
    const running = await s.tickUntil(id, ['running']);
    expect(running.tasks!.running + running.tasks!.succeeded).toBeGreaterThan(0);
    const done = await s.tickUntil(id, ['succeeded', 'failed'], 40);
    expect(done.state).toBe('failed');
    expect(done.tasks).toEqual({ total: 6, waiting: 0, running: 0, succeeded: 5, failed: 1, cancelled: 0 });
    expect(done.reason).toContain('1 of 6 tasks failed (indexes 3)');
    const three = await logs(id, '?index=3');
    expect(three.body).toMatchObject({ index: 3, complete: true });
    expect(three.body.text).toContain('(array index 3)');
    expect((await logs(id, '?index=3&stream=stderr')).body.text).toContain('exited with code 1');
    expect((await logs(id, '?index=6')).body.errors).toEqual([{ field: 'index', message: 'must be at most 5' }]);
  });

  it('adds a 1,000-task array in collections of 100 (≤ 0.02 Batch calls per task) and cancel stops the rest', async () => {
    const adds = () => s.emulator.calls({ operation: 'batch.task.add*' });
    await settle();
    const before = adds();
    const id = await s.submit({ name: 'big-sweep', commandLine: 'x', array: { size: 1000 }, env: { EMULATOR_TASK_SECONDS: '600' } });
    await s.waitFor(id, ['dispatched']);
    const calls = adds() - before;
    expect(calls).toBe(10);
    expect(calls / 1000).toBeLessThanOrEqual(0.02);
    await s.tickUntil(id, ['running']);
    const cancel = await s.api('POST', `/jobs/${id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.state).toBe('cancelled');
    const left = s.emulator.batch.state().tasks.filter((t) => t.id.startsWith(`job-${id}-`) && t.state !== 'completed');
    expect(left).toHaveLength(0);
    expect((await s.job(id)).tasks!.cancelled).toBe(1000);
  });
});
