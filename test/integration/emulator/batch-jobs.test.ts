// Contract: listing and terminating Batch jobs through our client, against the emulator (REST shapes of
// GET /jobs and POST /jobs/{jobId}/terminate, api-version 2025-06-01.21.0).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchJob } from '../../../src/azure/batch/models.js';
import { startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;

beforeAll(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, nodeStartSeconds: 60 });
});
beforeEach(() => emu.reset());
afterAll(async () => emu?.stop());

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('Batch jobs: list and terminate', () => {
  it('lists jobs with a state filter, $select and paging', async () => {
    const client = emu.client();
    for (const id of ['a-1', 'a-2', 'a-3']) await client.addJob({ id, poolInfo: { poolId: 'cpu' } });
    await client.terminateJob('a-2');
    const active = await all(client.listJobs({ filter: "state eq 'active'", select: ['id', 'state'], maxResults: 1 }));
    expect(active.map((j) => j.id)).toEqual(['a-1', 'a-3']);
    expect(Object.keys(active[0]!).filter((k) => !k.startsWith('odata.')).sort()).toEqual(['id', 'state']);
    const completed = await all(client.listJobs({ filter: "state eq 'completed'" }));
    expect(completed.map((j) => j.id)).toEqual(['a-2']);
  });

  it('terminate completes the job, ends its unfinished tasks and records the reason', async () => {
    const client = emu.client();
    await client.addJob({ id: 'old', poolInfo: { poolId: 'cpu' } });
    await client.addTask('old', { id: 'waiting', commandLine: 'echo' });
    await client.terminateJob('old', { terminateReason: 'dsvm-pool: month over' });
    const job: BatchJob = await client.getJob('old');
    expect(job.state).toBe('completed');
    expect(job.executionInfo?.terminateReason).toBe('dsvm-pool: month over');
    expect(job.executionInfo?.endTime).toBe(emu.clock.now().toISOString());
    const task = await client.getTask('old', 'waiting');
    expect(task.state).toBe('completed');
    expect(task.executionInfo?.failureInfo?.code).toBe('TaskEnded');
  });

  it('answers 409 JobCompleted to a second terminate and to a task added after it, 404 JobNotFound to an unknown job', async () => {
    const client = emu.client();
    await client.addJob({ id: 'done', poolInfo: { poolId: 'cpu' } });
    await client.terminateJob('done');
    await expect(client.terminateJob('done')).rejects.toMatchObject({ statusCode: 409, code: 'JobCompleted' });
    await expect(client.addTask('done', { id: 't', commandLine: 'echo' })).rejects.toMatchObject({ statusCode: 409, code: 'JobCompleted' });
    await expect(client.addTaskCollection('done', [{ id: 't1', commandLine: 'echo' }, { id: 't2', commandLine: 'echo' }])).rejects.toMatchObject({
      statusCode: 409,
      code: 'JobCompleted',
    });
    await expect(client.terminateJob('nope')).rejects.toMatchObject({ statusCode: 404, code: 'JobNotFound' });
  });

  it('a terminate refused with 503 is retried by the client pipeline; fault rules name batch.job.terminate and batch.job.list', async () => {
    const client = emu.client();
    await client.addJob({ id: 'busy', poolInfo: { poolId: 'cpu' } });
    emu.faults.add({ operation: 'batch.job.terminate', kind: 'status', status: 503, count: 2, retryAfterSeconds: 0 });
    emu.faults.add({ operation: 'batch.job.list', kind: 'status', status: 429, count: 1, retryAfterSeconds: 0 });
    await client.terminateJob('busy');
    expect((await all(client.listJobs({ filter: "state eq 'completed'" }))).map((j) => j.id)).toEqual(['busy']);
    expect(emu.calls({ operation: 'batch.job.terminate' })).toBeGreaterThanOrEqual(3);
  });
});
