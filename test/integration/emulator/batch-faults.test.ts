// Contract: Batch faults as our client meets them — 429 and 503 retried by the pipeline (Retry-After honoured) and
// surfaced with statusCode and code when they persist.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caught, startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;

beforeAll(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 });
  await emu.client().addJob({ id: 'fault-jobs', poolInfo: { poolId: 'cpu' } });
});
afterEach(() => emu.faults.clear());
afterAll(async () => emu?.stop());

describe('Batch faults through the client', () => {
  it('retries 429 with Retry-After and succeeds when it clears', async () => {
    const before = emu.calls({ operation: 'batch.task.add' });
    emu.faults.add({ operation: 'batch.task.add', kind: 'status', status: 429, retryAfterSeconds: 0, count: 2 });
    await emu.client().addTask('fault-jobs', { id: 'after-429', commandLine: 'echo' });
    expect(emu.calls({ operation: 'batch.task.add' }) - before).toBe(3);
    expect((await emu.client().getTask('fault-jobs', 'after-429')).id).toBe('after-429');
  });

  it('surfaces a persistent 429 as TooManyRequests after maxRetries', async () => {
    const before = emu.calls({ operation: 'batch.task.list' });
    emu.faults.add({ operation: 'batch.task.list', kind: 'status', status: 429, retryAfterSeconds: 0 });
    const client = emu.client({ retryOptions: { maxRetries: 2, retryDelayInMs: 10 } });
    const error = await caught(client.listTasks('fault-jobs').next());
    expect(error).toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
    expect(emu.calls({ operation: 'batch.task.list' }) - before).toBe(3);
  });

  it('retries 503 ServerBusy, and surfaces it with maxRetries 0', async () => {
    emu.faults.add({ operation: 'batch.pool.get', kind: 'status', status: 503, retryAfterSeconds: 0, count: 1 });
    expect((await emu.client().getPool('cpu')).id).toBe('cpu');
    emu.faults.add({ operation: 'batch.pool.get', kind: 'status', status: 503, retryAfterSeconds: 0, count: 1 });
    const error = await caught(emu.client({ retryOptions: { maxRetries: 0 } }).getPool('cpu'));
    expect(error).toMatchObject({ statusCode: 503, code: 'ServerBusy' });
  });

  it('retries a dropped connection and a 500', async () => {
    const before = emu.calls({ operation: 'batch.job.get' });
    emu.faults.add({ operation: 'batch.job.get', kind: 'drop', count: 1 });
    emu.faults.add({ operation: 'batch.job.get', kind: 'status', status: 500, count: 1 });
    expect((await emu.client().getJob('fault-jobs')).id).toBe('fault-jobs');
    expect(emu.calls({ operation: 'batch.job.get' }) - before).toBe(3);
  });

  it('does not retry a 409 and reports its code', async () => {
    emu.faults.add({ operation: 'batch.task.addCollection', kind: 'status', status: 409, code: 'OperationConflict', count: 1 });
    const error = await caught(emu.client().addTaskCollection('fault-jobs', [{ id: 'c1', commandLine: 'echo' }]));
    expect(error).toMatchObject({ statusCode: 409, code: 'OperationConflict' });
  });

  it('stops at the caller abort signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(emu.client().getPool('cpu', { abortSignal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
