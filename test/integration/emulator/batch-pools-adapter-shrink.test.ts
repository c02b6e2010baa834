// The job service's Batch port shrinks a pool the way README promises: a node running a job's task stays until the
// task is done (nodeDeallocationOption taskcompletion), so no running task is requeued or killed by a scale-down.
// Driven through the real adapter (createBatchPools) and our Batch client against the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchPools } from '../../../src/azure/batch-pools.js';
import { startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;
const minutes = (n: number): number => n * 60_000;

beforeEach(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, nodeStartSeconds: 120 });
});
afterEach(async () => emu?.stop());

describe('Batch port: shrinking a pool', () => {
  it('keeps the node of a running task until it ends: the task succeeds once, never requeued, nothing killed', async () => {
    const client = emu.client();
    const pools = createBatchPools(client);
    await client.addJob({ id: 'gpu-jobs', poolInfo: { poolId: 'gpu' } });
    await client.addTask('gpu-jobs', { id: 'train', commandLine: 'python train.py', environmentSettings: [{ name: 'EMULATOR_TASK_SECONDS', value: '600' }] });
    await pools.resizePool('gpu', 1);
    emu.clock.advance(minutes(3));
    expect((await client.getTask('gpu-jobs', 'train')).state).toBe('running');

    await pools.resizePool('gpu', 0);
    emu.clock.advance(minutes(1));
    expect(await pools.getPool('gpu')).toMatchObject({ currentDedicatedNodes: 1, targetDedicatedNodes: 0 });
    expect((await client.getTask('gpu-jobs', 'train')).state).toBe('running');

    emu.clock.advance(minutes(15));
    expect(await pools.getPool('gpu')).toMatchObject({ allocationState: 'steady', currentDedicatedNodes: 0 });
    expect((await client.getTask('gpu-jobs', 'train')).executionInfo).toMatchObject({ result: 'success', requeueCount: 0 });
    expect(emu.batch.killedTasks()).toBe(0);
  });
});
