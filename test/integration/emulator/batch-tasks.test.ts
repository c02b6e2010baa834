// Contract: tasks through our Batch client against the emulator — add, duplicates, a run to completion, retries,
// wall-clock timeouts, terminate, and the addtaskcollection limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchClient } from '../../../src/azure/batch/batch-client.js';
import type { BatchTaskCreate } from '../../../src/azure/batch/models.js';
import { caught, startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;
let client: BatchClient;
const minutes = (n: number): number => n * 60_000;

function task(id: string, env: Record<string, string> = {}, extra: Partial<BatchTaskCreate> = {}): BatchTaskCreate {
  return {
    id,
    commandLine: '/bin/sh -c "python train.py"',
    environmentSettings: Object.entries(env).map(([name, value]) => ({ name, value })),
    ...extra,
  };
}

beforeAll(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, taskSlotsPerNode: 2, nodeStartSeconds: 120, targetDedicatedNodes: 1 });
  client = emu.client();
  await client.addJob({ id: 'cpu-jobs', poolInfo: { poolId: 'cpu' } });
});
afterAll(async () => emu?.stop());

describe('Batch tasks through the client', () => {
  it('answers JobExists for a second job with the same id', async () => {
    const error = await caught(client.addJob({ id: 'CPU-jobs', poolInfo: { poolId: 'cpu' } }));
    expect(error).toMatchObject({ statusCode: 409, code: 'JobExists' });
    expect((await client.getJob('cpu-jobs')).poolInfo.poolId).toBe('cpu');
  });

  it('runs a task to completion with the exit code it was given, in simulated time', async () => {
    await client.addTask('cpu-jobs', task('life-1', { EMULATOR_TASK_SECONDS: '300', EMULATOR_EXIT_CODE: '0' }));
    const started = await client.getTask('cpu-jobs', 'life-1');
    expect(started.state).toBe('running');
    expect(started.nodeInfo?.poolId).toBe('cpu');
    emu.clock.advance(minutes(4));
    expect((await client.getTask('cpu-jobs', 'life-1')).state).toBe('running');
    emu.clock.advance(minutes(2));
    const done = await client.getTask('cpu-jobs', 'life-1');
    expect(done.state).toBe('completed');
    expect(done.previousState).toBe('running');
    expect(done.executionInfo).toMatchObject({ exitCode: 0, result: 'success', retryCount: 0 });
    const ran = Date.parse(done.executionInfo!.endTime!) - Date.parse(done.executionInfo!.startTime!);
    expect(ran).toBe(300_000);
  });

  it('completes a task with a non-zero exit code as failed, with FailureExitCode', async () => {
    await client.addTask('cpu-jobs', task('exit-3', { EMULATOR_TASK_SECONDS: '30', EMULATOR_EXIT_CODE: '3' }));
    emu.clock.advance(minutes(1));
    const done = await client.getTask('cpu-jobs', 'exit-3');
    expect(done.executionInfo).toMatchObject({ exitCode: 3, result: 'failure', failureInfo: { category: 'usererror', code: 'FailureExitCode' } });
  });

  it('retries a failing task maxTaskRetryCount times, then fails it', async () => {
    await client.addTask('cpu-jobs', task('retry-2', { EMULATOR_TASK_SECONDS: '60', EMULATOR_EXIT_CODE: '1' }, { constraints: { maxTaskRetryCount: 2 } }));
    emu.clock.advance(minutes(2) + 1000);
    const midway = await client.getTask('cpu-jobs', 'retry-2');
    expect(midway.state).toBe('running');
    expect(midway.executionInfo?.retryCount).toBe(2);
    emu.clock.advance(minutes(1));
    const done = await client.getTask('cpu-jobs', 'retry-2');
    expect(done.state).toBe('completed');
    expect(done.executionInfo).toMatchObject({ exitCode: 1, result: 'failure', retryCount: 2 });
  });

  it('succeeds after retries when a later attempt exits 0', async () => {
    await client.addTask('cpu-jobs', task('flaky', { EMULATOR_TASK_SECONDS: '60', EMULATOR_EXIT_CODE: '1,0' }, { constraints: { maxTaskRetryCount: 3 } }));
    emu.clock.advance(minutes(3));
    const done = await client.getTask('cpu-jobs', 'flaky');
    expect(done.executionInfo).toMatchObject({ exitCode: 0, result: 'success', retryCount: 1 });
    expect(done.executionInfo?.lastRetryTime).toBeDefined();
  });

  it('ends a task that outruns maxWallClockTime as failed, without retrying it', async () => {
    await client.addTask('cpu-jobs', task('slow', { EMULATOR_TASK_SECONDS: '3600' }, { constraints: { maxWallClockTime: 'PT10M', maxTaskRetryCount: 2 } }));
    emu.clock.advance(minutes(11));
    const done = await client.getTask('cpu-jobs', 'slow');
    expect(done.state).toBe('completed');
    expect(done.executionInfo).toMatchObject({ result: 'failure', retryCount: 0, failureInfo: { code: 'MaxWallClockTimeExceeded' } });
    expect(Date.parse(done.executionInfo!.endTime!) - Date.parse(done.executionInfo!.startTime!)).toBe(minutes(10));
  });

  it('adds a collection with a duplicate id: a result per task, TaskExists for the duplicate', async () => {
    await client.addTask('cpu-jobs', task('dup-1'));
    const results = await client.addTaskCollection('cpu-jobs', [task('new-1'), task('DUP-1'), task('new-2')]);
    expect(results.map((r) => [r.taskId, r.status, r.error?.code])).toEqual([
      ['new-1', 'success', undefined],
      ['DUP-1', 'clienterror', 'TaskExists'],
      ['new-2', 'success', undefined],
    ]);
    expect(results[0]!.eTag).toBeTruthy();
  });

  it('answers TaskExists (409) for a single duplicate add', async () => {
    expect(await caught(client.addTask('cpu-jobs', task('dup-1')))).toMatchObject({ statusCode: 409, code: 'TaskExists' });
  });

  it('refuses more than 100 tasks or 1 MB before sending, and the service answers RequestBodyTooLarge when sent anyway', async () => {
    const many = Array.from({ length: 101 }, (_, i) => task(`many-${i}`));
    expect(await caught(client.addTaskCollection('cpu-jobs', many))).toMatchObject({ name: 'BatchLimitError', code: 'BATCH_TOO_MANY_TASKS' });
    const big = Array.from({ length: 20 }, (_, i) => task(`big-${i}`, { PAYLOAD: 'x'.repeat(60_000) }));
    expect(await caught(client.addTaskCollection('cpu-jobs', big))).toMatchObject({ code: 'BATCH_REQUEST_TOO_LARGE' });
    expect(await caught(client.addTaskCollection('cpu-jobs', many, { checkLimits: false }))).toMatchObject({ statusCode: 413, code: 'RequestBodyTooLarge' });
    expect(await caught(client.addTaskCollection('cpu-jobs', big, { checkLimits: false }))).toMatchObject({ statusCode: 413, code: 'RequestBodyTooLarge' });
    expect(await caught(client.getTask('cpu-jobs', 'many-0'))).toMatchObject({ statusCode: 404, code: 'TaskNotFound' });
  });

  it('terminates a running task (204) and answers TaskCompleted for a completed one', async () => {
    await client.addTask('cpu-jobs', task('to-stop', { EMULATOR_TASK_SECONDS: '600' }));
    emu.clock.advance(minutes(1));
    await client.terminateTask('cpu-jobs', 'to-stop');
    const stopped = await client.getTask('cpu-jobs', 'to-stop');
    expect(stopped.state).toBe('completed');
    expect(stopped.executionInfo).toMatchObject({ result: 'failure', failureInfo: { code: 'TaskEnded' } });
    expect(await caught(client.terminateTask('cpu-jobs', 'to-stop'))).toMatchObject({ statusCode: 409, code: 'TaskCompleted' });
  });

  it('answers JobNotFound for tasks of an unknown job', async () => {
    expect(await caught(client.addTask('no-such-job', task('x')))).toMatchObject({ statusCode: 404, code: 'JobNotFound' });
  });
});
