// The job service under faults: redelivered messages, crashes between steps, poison messages, Batch throttling
// and outages (the emulator's fault injection).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, writeQueuedRecord, type JobsStack } from './jobs-stack.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');

describe('job service under faults', () => {
  let s: JobsStack;
  beforeAll(async () => {
    // Dispatch retries after at most 1 s here, so an outage spanning many attempts fits in a test.
    s = await startJobsStack({ DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS: '1' });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const tasksOf = (id: string) => s.emulator.batch.state().tasks.filter((t) => t.id === `job-${id}`);
  const dispatchLines = (id: string) => s.logs.filter((l) => l.includes(`dispatch ${id}: `));

  it('makes one Batch task for a message delivered twice', async () => {
    const id = await writeQueuedRecord(s, 'ann', 'twice');
    await Promise.all([s.jobsQueue.sendMessage(b64({ jobId: id })), s.jobsQueue.sendMessage(b64({ jobId: id }))]);
    await s.waitFor(id, ['dispatched']);
    // Both deliveries ran (peeking cannot see an invisible message, the host's log can).
    await expect.poll(() => dispatchLines(id).length, { timeout: 20_000 }).toBe(2);
    expect(tasksOf(id)).toHaveLength(1);
  });

  it('re-enqueues a job whose message was lost (crash between record write and enqueue)', async () => {
    const id = await writeQueuedRecord(s, 'ann', 'lost-message');
    await s.tick(60);
    expect((await s.job(id)).state).toBe('queued'); // not before the grace period
    await s.tick(5 * 60);
    await s.waitFor(id, ['dispatched']);
    expect(tasksOf(id)).toHaveLength(1);
  });

  it('converges after a dispatcher crash between the Batch call and the Table write', async () => {
    const id = await writeQueuedRecord(s, 'ann', 'crashed-dispatch');
    // What the crashed dispatcher left: the record says dispatching, the task already exists in Batch.
    const location = { poolId: 'cpu', jobId: 'dsvmpool-cpu-202611', taskId: `job-${id}` };
    const before = (await s.store.get(id))!;
    await s.store.replace(before, { ...before.record, state: 'dispatching', pool: 'cpu', batch: location, dispatchAttempts: 1 });
    await s.batch.addJob({ id: location.jobId, poolInfo: { poolId: 'cpu' } }).catch((e) => (e.code === 'JobExists' ? undefined : Promise.reject(e)));
    await s.batch.addTask(location.jobId, { id: location.taskId, commandLine: 'python run.py', environmentSettings: [{ name: 'EMULATOR_TASK_SECONDS', value: '60' }] });
    // Its message comes back (redelivery or the sweeper); either way the task is found, not duplicated.
    await s.tick(6 * 60);
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(tasksOf(id)).toHaveLength(1);
  });

  it('fails a job whose message landed in jobs-poison after a crash that was not transient, with the last error', async () => {
    const id = await writeQueuedRecord(s, 'ann', 'poisoned');
    const cur = (await s.store.get(id))!;
    await s.store.replace(cur, { ...cur.record, state: 'dispatching', dispatchAttempts: 5, lastError: { code: 'INTERNAL', message: 'TypeError: boom' } });
    await s.poisonQueue.sendMessage(b64({ jobId: id }));
    const failed = await s.waitFor(id, ['failed']);
    expect(failed.reason).toContain('dispatch failed after 5 attempt(s)');
    expect(failed.reason).toContain('INTERNAL');
  });

  it('re-enqueues a job whose message landed in jobs-poison while Batch was unavailable, and it runs', async () => {
    const id = await writeQueuedRecord(s, 'ann', 'poisoned-transient');
    const cur = (await s.store.get(id))!;
    await s.store.replace(cur, { ...cur.record, state: 'dispatching', dispatchAttempts: 5, lastError: { code: 'BATCH_UNAVAILABLE', message: 'Batch 503: ServerBusy' } });
    await s.poisonQueue.sendMessage(b64({ jobId: id }));
    await s.waitFor(id, ['dispatched', 'running']);
    expect(tasksOf(id)).toHaveLength(1);
  });

  it('waits out a Batch outage that outlasts maxDequeueCount deliveries: every job is delayed, none fails, one task each', async () => {
    const outage = [
      s.emulator.faults.add({ operation: 'batch.task.add*', kind: 'status', status: 503, code: 'ServerBusy', retryAfterSeconds: 0 }),
      s.emulator.faults.add({ operation: 'batch.job.add', kind: 'status', status: 503, code: 'ServerBusy', retryAfterSeconds: 0 }),
    ];
    const ids = await Promise.all(['outage-1', 'outage-2', 'outage-3'].map((name) => s.submit({ name, commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '60' } })));
    // host.json maxDequeueCount is 5: seven attempts means no message was spent on the outage.
    await expect
      .poll(async () => Math.min(...(await Promise.all(ids.map(async (id) => (await s.store.get(id))!.record.dispatchAttempts)))), { timeout: 45_000, interval: 500 })
      .toBeGreaterThanOrEqual(7);
    for (const id of ids) {
      const view = await s.job(id);
      expect(view.state).toBe('dispatching');
      expect(view.waitingFor).toMatch(/Azure Batch is busy or unreachable \(BATCH_(THROTTLED|UNAVAILABLE)/);
    }
    expect((await s.poisonQueue.peekMessages({ numberOfMessages: 32 }).catch(() => ({ peekedMessageItems: [] }))).peekedMessageItems).toHaveLength(0);
    for (const f of outage) s.emulator.faults.remove(f);
    for (const id of ids) expect((await s.tickUntil(id, ['succeeded', 'failed'])).state).toBe('succeeded');
    for (const id of ids) expect(tasksOf(id)).toHaveLength(1);
  }, 90_000);

  it('survives Batch throttling and 5xx on dispatch, sync and resize', async () => {
    // More 429s than the client's own retries: the first delivery fails, the redelivery gets through.
    s.emulator.faults.add({ operation: 'batch.task.add*', kind: 'status', status: 429, code: 'TooManyRequests', retryAfterSeconds: 0, count: 5 });
    const id = await s.submit({ name: 'throttled', commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '60' } });
    await expect.poll(async () => (await s.store.get(id))?.record.lastError?.code, { timeout: 20_000 }).toBe('BATCH_THROTTLED');
    await s.waitFor(id, ['dispatched']);
    // Listing tasks and resizing pools fail for a while: those ticks report errors, later ticks catch up.
    const faults = [
      s.emulator.faults.add({ operation: 'batch.task.list', kind: 'status', status: 500, count: 8 }),
      s.emulator.faults.add({ operation: 'batch.pool.resize', kind: 'status', status: 503, code: 'ServerBusy', count: 8 }),
    ];
    await s.tick();
    expect(s.logs.some((l) => /jobsync .*BATCH_(UNAVAILABLE|THROTTLED)/.test(l))).toBe(true);
    faults.forEach((f) => s.emulator.faults.remove(f));
    const done = await s.tickUntil(id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(tasksOf(id)).toHaveLength(1);
  });
  it('cancels a job stuck dispatching (Batch down): no task is made once Batch is back', async () => {
    const fault = s.emulator.faults.add({ operation: 'batch.task.add*', kind: 'status', status: 503, code: 'ServerBusy', count: 1000 });
    const id = await s.submit({ name: 'stuck', commandLine: 'python run.py' });
    await expect.poll(async () => (await s.store.get(id))?.record.lastError?.code, { timeout: 20_000 }).toMatch(/BATCH_/);
    expect((await s.job(id)).state).toBe('dispatching');
    const r = await s.api('POST', `/jobs/${id}/cancel`);
    expect(r.body.state).toBe('cancelled');
    s.emulator.faults.remove(fault);
    await expect.poll(() => dispatchLines(id).some((l) => l.includes(': skipped')), { timeout: 30_000 }).toBe(true); // the redelivery is skipped
    expect(tasksOf(id)).toHaveLength(0);
    expect((await s.job(id)).state).toBe('cancelled');
  });

  it('answers 202 cancelling when Batch cannot terminate the task yet, and sync finishes the cancel', async () => {
    const id = await s.submit({ name: 'hard-to-stop', commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '3000' } });
    await s.tickUntil(id, ['running']);
    const fault = s.emulator.faults.add({ operation: 'batch.task.terminate', kind: 'status', status: 503, code: 'ServerBusy', count: 1000 });
    const r = await s.api('POST', `/jobs/${id}/cancel`);
    expect(r.status).toBe(202);
    expect(r.body.state).toBe('cancelling');
    await s.tick();
    expect((await s.job(id)).state).toBe('cancelling');
    s.emulator.faults.remove(fault);
    await s.tick();
    expect((await s.job(id)).state).toBe('cancelled');
    expect(tasksOf(id)[0]?.state).toBe('completed');
  });
});
