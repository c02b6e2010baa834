// Contract: the emulator's Batch bodies have the REST shapes listed in shared/azure-notes.md ("Azure Batch data
// plane") and the 2025-06-01.21.0 spec, as our client receives them. The client checks each success status itself
// (201 add job/task, 200 addtaskcollection/get/list, 202 resize, 204 terminate), so a wrong status fails here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BatchClient } from '../../../src/azure/batch/batch-client.js';
import { startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && s.includes('T'), 'ISO date-time');
const isoDuration = z.string().regex(/^P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/);
const failureInfo = z.object({ category: z.enum(['usererror', 'servererror']), code: z.string(), message: z.string() });

const poolShape = z.object({
  id: z.string(),
  url: z.string().url(),
  eTag: z.string(),
  lastModified: isoTime,
  creationTime: isoTime,
  state: z.enum(['active', 'deleting']),
  vmSize: z.string(),
  allocationState: z.enum(['steady', 'resizing', 'stopping']),
  allocationStateTransitionTime: isoTime,
  currentDedicatedNodes: z.number().int(),
  currentLowPriorityNodes: z.number().int(),
  targetDedicatedNodes: z.number().int(),
  targetLowPriorityNodes: z.number().int(),
  enableAutoScale: z.boolean(),
  resizeTimeout: isoDuration,
  resizeErrors: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
  taskSlotsPerNode: z.number().int().min(1),
});

const taskShape = z.object({
  id: z.string(),
  url: z.string().url(),
  eTag: z.string(),
  lastModified: isoTime,
  creationTime: isoTime,
  state: z.enum(['active', 'preparing', 'running', 'completed']),
  stateTransitionTime: isoTime,
  previousState: z.enum(['active', 'preparing', 'running', 'completed']).optional(),
  commandLine: z.string(),
  environmentSettings: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  containerSettings: z.object({ imageName: z.string(), containerRunOptions: z.string().optional() }).optional(),
  constraints: z.object({ maxWallClockTime: isoDuration, retentionTime: isoDuration, maxTaskRetryCount: z.number().int() }),
  requiredSlots: z.number().int().min(1),
  userIdentity: z.object({ autoUser: z.object({ scope: z.string(), elevationLevel: z.string() }) }),
  executionInfo: z.object({
    startTime: isoTime.optional(),
    endTime: isoTime.optional(),
    exitCode: z.number().int().optional(),
    result: z.enum(['success', 'failure']).optional(),
    failureInfo: failureInfo.optional(),
    retryCount: z.number().int(),
    requeueCount: z.number().int(),
  }),
  nodeInfo: z.object({ poolId: z.string(), nodeId: z.string() }).optional(),
});

let emu: BatchTestEmulator;
let client: BatchClient;

beforeAll(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, targetDedicatedNodes: 1 });
  client = emu.client();
  await client.addJob({ id: 'shape-jobs', poolInfo: { poolId: 'gpu' }, constraints: { maxTaskRetryCount: 1 } });
});
afterAll(async () => emu?.stop());

describe('Batch response shapes', () => {
  it('pool: the fields azure-notes lists, with enums and ISO times', async () => {
    await client.resizePool('gpu', { targetDedicatedNodes: 2 });
    const pool = await client.getPool('gpu');
    expect(poolShape.safeParse(pool).error?.issues ?? []).toEqual([]);
    expect(pool.allocationState).toBe('resizing');
  });

  it('task: active, running and completed bodies, with executionInfo and nodeInfo', async () => {
    await client.addTaskCollection('shape-jobs', [
      {
        id: 'shaped',
        commandLine: 'python train.py',
        containerSettings: { imageName: 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04', containerRunOptions: '--gpus all' },
        environmentSettings: [{ name: 'EMULATOR_TASK_SECONDS', value: '60' }, { name: 'EMULATOR_EXIT_CODE', value: '2' }],
        constraints: { maxWallClockTime: 'PT1H' },
        requiredSlots: 1,
      },
      { id: 'waiting', commandLine: 'echo' },
    ]);
    const running = await client.getTask('shape-jobs', 'shaped');
    const waiting = await client.getTask('shape-jobs', 'waiting');
    emu.clock.advance(5 * 60_000);
    const done = await client.getTask('shape-jobs', 'shaped');
    for (const t of [running, waiting, done]) expect(taskShape.safeParse(t).error?.issues ?? []).toEqual([]);
    expect([running.state, waiting.state, done.state]).toEqual(['running', 'active', 'completed']);
    // The job's maxTaskRetryCount applies when the task sets none: one retry, then failure with the exit code.
    expect(done.constraints?.maxTaskRetryCount).toBe(1);
    expect(done.executionInfo).toMatchObject({ exitCode: 2, result: 'failure', retryCount: 1, failureInfo: { category: 'usererror' } });
  });

  it('job: poolInfo, state and constraints', async () => {
    const job = await client.getJob('shape-jobs');
    expect(job).toMatchObject({ id: 'shape-jobs', poolInfo: { poolId: 'gpu' }, state: 'active', constraints: { maxTaskRetryCount: 1 } });
    expect(job.eTag).toBeTruthy();
  });

  it('addtaskcollection items: { status, taskId, eTag?, error? } with the Batch error shape inside', async () => {
    const results = await client.addTaskCollection('shape-jobs', [{ id: 'waiting', commandLine: 'echo' }, { id: 'fresh', commandLine: 'echo' }]);
    expect(results[0]).toMatchObject({ status: 'clienterror', taskId: 'waiting', error: { code: 'TaskExists', message: { lang: 'en-US' } } });
    expect(results[0]!.error!.message!.value).toMatch(/already exists/);
    expect(results[1]).toMatchObject({ status: 'success', taskId: 'fresh' });
    expect(results[1]!.location).toMatch(/\/jobs\/shape-jobs\/tasks\/fresh$/);
  });

  it('errors: RestError carries the Batch code and the text of message.value', async () => {
    const error = (await client.getTask('shape-jobs', 'missing').catch((e: unknown) => e)) as Error & { code?: string; statusCode?: number };
    expect(error).toMatchObject({ name: 'RestError', statusCode: 404, code: 'TaskNotFound' });
    expect(error.message).toMatch(/The specified task does not exist/);
  });

  it('terminate answers 204 and the task keeps a failure with TaskEnded', async () => {
    await client.terminateTask('shape-jobs', 'fresh');
    const t = await client.getTask('shape-jobs', 'fresh');
    expect(taskShape.safeParse(t).error?.issues ?? []).toEqual([]);
    expect(t.executionInfo?.failureInfo?.code).toBe('TaskEnded');
  });
});
