// The job service end to end over HTTP, in simulated time: Azurite, the Batch emulator and the local host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, startJobsStack, writeQueuedRecord, type JobsStack } from './jobs-stack.js';

const quick = (name: string, extra: Record<string, unknown> = {}) => ({ name, commandLine: '/bin/bash -c "python train.py"', env: { EMULATOR_TASK_SECONDS: '120' }, ...extra });

describe('job service lifecycle', () => {
  let s: JobsStack;
  beforeAll(async () => {
    s = await startJobsStack();
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const tasksOf = (id: string) => s.emulator.batch.state().tasks.filter((t) => t.id === `job-${id}`);

  it('takes a GPU job from submit through dispatched and running to succeeded, through HTTP only, on the GPU pool', async () => {
    const res = await s.api('POST', '/jobs', { body: quick('gpu-train', { resources: { gpus: 1, cpus: 2, memoryGiB: 8 } }) });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/jobs/${res.body.id}`);
    expect(res.body.state).toBe('queued');
    const id = res.body.id as string;
    const dispatched = await s.waitFor(id, ['dispatched']);
    expect(dispatched).toMatchObject({ pool: 'gpu', batch: { poolId: 'gpu', taskId: `job-${id}` } });
    const gpuNodes = () => s.emulator.batch.state().pools.find((p) => p.id === 'gpu')!.targetDedicatedNodes;
    expect(gpuNodes()).toBe(0);
    await s.tick();
    expect(gpuNodes()).toBe(1); // nodes start within one tick of a job arriving at an empty pool
    const lists = s.emulator.calls({ operation: 'batch.task.list' });
    const gets = s.emulator.calls({ operation: 'batch.task.get' });
    const poolGets = s.emulator.calls({ operation: 'batch.pool.get' });
    const running = await s.tickUntil(id, ['running']);
    // Sync asks Batch at most twice per long-lived Batch job and tick (here one), never once per job: the tasks
    // changed since, plus the unfinished task ids once a job has been quiet for 3 minutes (vanished tasks).
    const ticks = (s.emulator.calls({ operation: 'batch.pool.get' }) - poolGets) / 2; // each tick reads both pools
    expect(ticks).toBeGreaterThan(0);
    expect(s.emulator.calls({ operation: 'batch.task.list' }) - lists).toBeLessThanOrEqual(2 * ticks);
    expect(s.emulator.calls({ operation: 'batch.task.get' })).toBe(gets);
    expect(running.startTime).toBeDefined();
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ state: 'succeeded', exitCode: 0, pool: 'gpu' });
    expect(s.emulator.batch.state().tasks.find((t) => t.id === `job-${id}`)?.nodeId).toMatch(/.+/);
  });

  it('sends a CPU job to the CPU pool', async () => {
    const id = await s.submit(quick('cpu-etl', { resources: { cpus: 2 } }));
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ state: 'succeeded', pool: 'cpu', batch: { poolId: 'cpu' } });
    expect(s.emulator.batch.state().jobs.find((j) => j.id === done.batch!.jobId)?.poolId).toBe('cpu');
  });

  it('fails a job whose command exits non-zero, with the exit code, after the retries it asked for', async () => {
    const id = await s.submit(quick('crashes', { env: { EMULATOR_TASK_SECONDS: '30', EMULATOR_EXIT_CODE: '3' }, retries: 2 }));
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ state: 'failed', exitCode: 3, retryCount: 2 });
    expect(done.reason).toContain('exited with code 3 after 2 retries');
    expect(tasksOf(id)[0]?.retryCount).toBe(2);
  });

  it('fails a job that runs past its timeout', async () => {
    const id = await s.submit(quick('too-long', { env: { EMULATOR_TASK_SECONDS: '3600' }, timeoutMinutes: 2 }));
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done.state).toBe('failed');
    expect(done.reason).toContain('timeout');
  });

  it('fails at dispatch a job no pool can hold that reached the queue unchecked, saying why, without touching Batch', async () => {
    // Submit refuses such a job when it can read the pools (jobs-bad-input); one it could not check (Batch was down
    // at submit) is queued like this, and dispatch fails it.
    const id = await writeQueuedRecord(s, 'ann', 'huge', { resources: { gpus: 8 } });
    await s.jobsQueue.sendMessage(Buffer.from(JSON.stringify({ jobId: id })).toString('base64'));
    const done = await s.waitFor(id, ['failed']);
    expect(done.reason).toContain('needs 8 GPUs, largest GPU node has 1');
    expect(done.lastError).toMatchObject({ code: 'ROUTE_IMPOSSIBLE' }); // the code README's Errors table names
    expect(tasksOf(id)).toHaveLength(0);
  });

  it('is idempotent: the same key and body give the same job; another body is refused', async () => {
    const headers = { 'idempotency-key': 'run-42' };
    const a = await s.api('POST', '/jobs', { body: quick('idem'), headers });
    const b = await s.api('POST', '/jobs', { body: quick('idem'), headers });
    expect(b.status).toBe(202);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const c = await s.api('POST', '/jobs', { body: quick('idem-other'), headers });
    expect(c.status).toBe(422);
    expect(c.headers.get('content-type')).toContain('application/problem+json');
    expect(c.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await s.waitFor(a.body.id, ['dispatched', 'running', 'succeeded']);
    expect(tasksOf(a.body.id)).toHaveLength(1);
  });

  it('cancels a queued job without Batch', async () => {
    // A queued record whose message has not been taken yet: written straight to the table, not enqueued.
    const id = await writeQueuedRecord(s, 'ann', 'to-cancel-queued');
    expect((await s.job(id)).state).toBe('queued');
    const r = await s.api('POST', `/jobs/${id}/cancel`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'cancelled', reason: 'cancelled by ann' });
    expect(tasksOf(id)).toHaveLength(0);
    expect((await s.api('POST', `/jobs/${id}/cancel`, { user: 'bob' })).status).toBe(404);
    // Dispatch never took it (it writes the admins' listing row); the cancel did, so an admin sees the job.
    const everyone = await s.api('GET', '/jobs?user=*&top=100', { user: 'root', admin: true });
    expect(everyone.status).toBe(200);
    expect(everyone.body.items.map((j: { id: string }) => j.id)).toContain(id);
  });

  it('cancels a dispatched job and a running job by terminating the task', async () => {
    const waiting = await s.submit(quick('to-cancel-dispatched', { env: { EMULATOR_TASK_SECONDS: '1200' } }));
    await s.waitFor(waiting, ['dispatched']);
    const c1 = await s.api('POST', `/jobs/${waiting}/cancel`);
    expect(c1.status).toBe(200);
    expect(c1.body.state).toBe('cancelled');

    const busy = await s.submit(quick('to-cancel-running', { env: { EMULATOR_TASK_SECONDS: '1200' } }));
    await s.tickUntil(busy, ['running']);
    const c2 = await s.api('POST', `/jobs/${busy}/cancel`);
    expect(c2.body.state).toBe('cancelled');
    expect(tasksOf(busy)[0]?.state).toBe('completed');
    const again = await s.api('POST', `/jobs/${busy}/cancel`);
    expect(again.body.state).toBe('cancelled');
  });

  it('shows users only their own jobs, newest first and paged; an admin sees everyone\'s', async () => {
    const bobs: string[] = [];
    for (const n of [1, 2, 3]) {
      s.emulator.clock.advance(1000); // ids order by submit time (to the millisecond)
      bobs.push(await s.submit(quick(`bob-${n}`), 'bob'));
    }
    expect((await s.api('GET', `/jobs/${bobs[0]}`)).status).toBe(404); // ann asks for bob's job
    const p1 = await s.api('GET', '/jobs?top=2', { user: 'bob' });
    expect(p1.body.items.map((j: { id: string }) => j.id)).toEqual([bobs[2], bobs[1]]);
    const p2 = await s.api('GET', `/jobs?top=2&continuationToken=${encodeURIComponent(p1.body.continuationToken)}`, { user: 'bob' });
    expect(p2.body.items.map((j: { id: string }) => j.id)).toEqual([bobs[0]]);
    expect(p2.body.continuationToken).toBeUndefined();
    expect((await s.api('GET', '/jobs?user=ann', { user: 'bob' })).status).toBe(403);
    // Everyone's list reads the `all` index, which dispatch writes when it first takes a job (README, Jobs API).
    let all = await s.api('GET', '/jobs?top=100', { user: 'root', admin: true });
    await pollUntil(async () => {
      all = await s.api('GET', '/jobs?top=100', { user: 'root', admin: true });
      return bobs.every((id) => all.body.items.some((j: { id: string }) => j.id === id));
    }, "bob's jobs in the admin's list");
    const owners = new Set(all.body.items.map((j: { user: string }) => j.user));
    expect(owners).toEqual(new Set(['ann', 'bob']));
    expect(all.body.items[0].id).toBe(bobs[2]);
    const annDone = await s.api('GET', '/jobs?user=ann&state=succeeded', { user: 'root', admin: true });
    expect(annDone.body.items.length).toBeGreaterThan(0);
    expect(annDone.body.items.every((j: { user: string; state: string }) => j.user === 'ann' && j.state === 'succeeded')).toBe(true);
  });

  it('groups the Batch tasks of messages at hand into addtaskcollection calls', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await writeQueuedRecord(s, 'carol', `burst-${i}`));
    const singles = s.emulator.calls({ operation: 'batch.task.add' });
    const collections = s.emulator.calls({ operation: 'batch.task.addCollection' });
    await Promise.all(ids.map((id) => s.jobsQueue.sendMessage(Buffer.from(JSON.stringify({ jobId: id })).toString('base64'))));
    for (const id of ids) await s.waitFor(id, ['dispatched']);
    const calls = s.emulator.calls({ operation: 'batch.task.add' }) - singles + (s.emulator.calls({ operation: 'batch.task.addCollection' }) - collections);
    expect(s.emulator.calls({ operation: 'batch.task.addCollection' }) - collections).toBeGreaterThan(0);
    expect(calls).toBeLessThan(ids.length);
    expect(new Set(s.emulator.batch.state().tasks.map((t) => t.id)).size).toBe(s.emulator.batch.state().tasks.length);
  });

  it('keeps a node while it runs a task, then takes the pools back to 0 once idle, killing no task', async () => {
    for (const j of (await s.api('GET', '/jobs?top=100', { user: 'root', admin: true })).body.items) {
      if (!['succeeded', 'failed', 'cancelled'].includes(j.state)) await s.api('POST', `/jobs/${j.id}/cancel`, { user: 'root', admin: true });
    }
    const short = await s.submit(quick('short', { resources: { gpus: 1 }, env: { EMULATOR_TASK_SECONDS: '60' } }));
    const long = await s.submit(quick('long', { resources: { gpus: 1 }, env: { EMULATOR_TASK_SECONDS: '1500' } }));
    await s.tickUntil(long, ['running']);
    await s.tickUntil(short, ['succeeded']);
    const gpu = () => s.emulator.batch.state().pools.find((p) => p.id === 'gpu')!;
    for (let i = 0; i < 8; i++) {
      await s.tick();
      expect(gpu().targetDedicatedNodes).toBe(2); // the long task's node is never taken away
    }
    await s.tickUntil(long, ['succeeded']);
    for (let i = 0; i < 8; i++) await s.tick();
    expect(s.emulator.batch.state().pools.map((p) => [p.id, p.targetDedicatedNodes, p.currentDedicatedNodes])).toEqual([
      ['gpu', 0, 0],
      ['cpu', 0, 0],
    ]);
    expect(s.emulator.batch.killedTasks()).toBe(0);
  });
});
