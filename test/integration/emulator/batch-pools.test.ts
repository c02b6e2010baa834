// Contract: Batch pools through our client — resize 0 → N → 0 in simulated time with a node start time, nodes that
// run tasks kept (taskcompletion) or their tasks interrupted (requeue, terminate), GPU vs CPU pools, slots, quota.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchClient } from '../../../src/azure/batch/batch-client.js';
import type { BatchPool } from '../../../src/azure/batch/models.js';
import { caught, startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;
let client: BatchClient;
const minutes = (n: number): number => n * 60_000;
const longTask = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  commandLine: 'python train.py',
  environmentSettings: [{ name: 'EMULATOR_TASK_SECONDS', value: '1200' }],
  ...extra,
});

beforeEach(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, nodeStartSeconds: 240, maxDedicatedNodes: 4 });
  emu.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, taskSlotsPerNode: 4, nodeStartSeconds: 120 });
  client = emu.client();
  await client.addJob({ id: 'gpu-jobs', poolInfo: { poolId: 'gpu' } });
  await client.addJob({ id: 'cpu-jobs', poolInfo: { poolId: 'cpu' } });
});
afterEach(async () => emu?.stop());

describe('Batch pools through the client', () => {
  it('grows 0 → 2 with nodes starting for the node start time, then shrinks to 0 without killing a running task', async () => {
    const empty: BatchPool = await client.getPool('gpu');
    expect(empty).toMatchObject({ currentDedicatedNodes: 0, targetDedicatedNodes: 0, allocationState: 'steady' });

    await client.addTask('gpu-jobs', longTask('train-1'));
    await client.resizePool('gpu', { targetDedicatedNodes: 2 });
    const resizing = await client.getPool('gpu');
    expect(resizing).toMatchObject({ allocationState: 'resizing', targetDedicatedNodes: 2, currentDedicatedNodes: 2 });
    expect(resizing.eTag).not.toBe(empty.eTag);
    emu.clock.advance(minutes(3));
    expect((await client.getTask('gpu-jobs', 'train-1')).state).toBe('active');
    emu.clock.advance(minutes(1));
    expect(await client.getPool('gpu')).toMatchObject({ allocationState: 'steady', currentDedicatedNodes: 2 });
    const running = await client.getTask('gpu-jobs', 'train-1');
    expect(running.state).toBe('running');
    expect(Date.parse(running.executionInfo!.startTime!) - Date.parse(resizing.allocationStateTransitionTime!)).toBe(minutes(4));

    // Shrink to 0 (client default: taskcompletion): the idle node goes at once, the busy one when its task ends.
    await client.resizePool('gpu', { targetDedicatedNodes: 0 });
    expect(await client.getPool('gpu')).toMatchObject({ allocationState: 'resizing', currentDedicatedNodes: 1, targetDedicatedNodes: 0 });
    expect(await caught(client.resizePool('gpu', { targetDedicatedNodes: 3 }))).toMatchObject({ statusCode: 409, code: 'PoolBeingResized' });
    emu.clock.advance(minutes(20));
    expect(await client.getPool('gpu')).toMatchObject({ allocationState: 'steady', currentDedicatedNodes: 0 });
    expect((await client.getTask('gpu-jobs', 'train-1')).executionInfo).toMatchObject({ result: 'success', requeueCount: 0 });
    expect(emu.batch.killedTasks()).toBe(0);
  });

  it('stops a shrink that waits on a running task: the node stays, the pool is steady and can grow again', async () => {
    await client.resizePool('gpu', { targetDedicatedNodes: 1 });
    emu.clock.advance(minutes(4));
    await client.addTask('gpu-jobs', longTask('long-one'));
    await client.resizePool('gpu', { targetDedicatedNodes: 0 });
    expect(await client.getPool('gpu')).toMatchObject({ allocationState: 'resizing', currentDedicatedNodes: 1 });
    await client.stopResizePool('gpu');
    expect(await client.getPool('gpu')).toMatchObject({ allocationState: 'steady', currentDedicatedNodes: 1, targetDedicatedNodes: 1 });
    await client.resizePool('gpu', { targetDedicatedNodes: 2 });
    emu.clock.advance(minutes(4));
    expect(await client.getPool('gpu')).toMatchObject({ allocationState: 'steady', currentDedicatedNodes: 2 });
    expect((await client.getTask('gpu-jobs', 'long-one')).state).toBe('running');
    expect(emu.batch.killedTasks()).toBe(0);
  });

  it('requeues the running task of a removed node with nodeDeallocationOption requeue, and counts it killed', async () => {
    await client.resizePool('gpu', { targetDedicatedNodes: 1 });
    emu.clock.advance(minutes(4));
    await client.addTask('gpu-jobs', longTask('requeued'));
    emu.clock.advance(minutes(1));
    await client.resizePool('gpu', { targetDedicatedNodes: 0, nodeDeallocationOption: 'requeue' });
    const task = await client.getTask('gpu-jobs', 'requeued');
    expect(task.state).toBe('active');
    expect(task.executionInfo?.requeueCount).toBe(1);
    expect(await client.getPool('gpu')).toMatchObject({ currentDedicatedNodes: 0, allocationState: 'steady' });
    expect(emu.batch.killedTasks()).toBe(1);
  });

  it('ends the running task as failed with nodeDeallocationOption terminate, and counts it killed', async () => {
    await client.resizePool('gpu', { targetDedicatedNodes: 1 });
    emu.clock.advance(minutes(4));
    await client.addTask('gpu-jobs', longTask('terminated'));
    await client.resizePool('gpu', { targetDedicatedNodes: 0, nodeDeallocationOption: 'terminate' });
    expect((await client.getTask('gpu-jobs', 'terminated')).executionInfo).toMatchObject({ result: 'failure' });
    expect(emu.batch.killedTasks()).toBe(1);
  });

  it('runs GPU-pool jobs only on GPU nodes and CPU-pool jobs only on CPU nodes, honouring task slots', async () => {
    await client.resizePool('gpu', { targetDedicatedNodes: 1 });
    await client.resizePool('cpu', { targetDedicatedNodes: 1 });
    emu.clock.advance(minutes(4));
    await client.addTaskCollection('gpu-jobs', [longTask('g1'), longTask('g2')]);
    await client.addTaskCollection('cpu-jobs', [longTask('c1', { requiredSlots: 2 }), longTask('c2', { requiredSlots: 2 }), longTask('c3')]);
    const states = async (job: string, ids: string[]) => Promise.all(ids.map(async (id) => (await client.getTask(job, id)).state));
    // One GPU node with one slot: g2 waits. One CPU node with 4 slots: c1 + c2 fill it, c3 waits.
    expect(await states('gpu-jobs', ['g1', 'g2'])).toEqual(['running', 'active']);
    expect(await states('cpu-jobs', ['c1', 'c2', 'c3'])).toEqual(['running', 'running', 'active']);
    expect((await client.getTask('gpu-jobs', 'g1')).nodeInfo?.poolId).toBe('gpu');
    expect((await client.getTask('cpu-jobs', 'c1')).nodeInfo?.poolId).toBe('cpu');
    emu.clock.advance(minutes(21));
    expect(await states('gpu-jobs', ['g2'])).toEqual(['running']);
    expect(await states('cpu-jobs', ['c3'])).toEqual(['running']);
  });

  it('stops at the core quota and reports a resize error', async () => {
    await client.resizePool('gpu', { targetDedicatedNodes: 6 });
    emu.clock.advance(minutes(5));
    const pool = await client.getPool('gpu');
    expect(pool).toMatchObject({ currentDedicatedNodes: 4, targetDedicatedNodes: 4, allocationState: 'steady' });
    expect(pool.resizeErrors?.[0]?.code).toBe('AccountCoreQuotaReached');
  });

  it('honours If-Match on resize (412 when the pool changed)', async () => {
    const pool = await client.getPool('cpu');
    await client.resizePool('cpu', { targetDedicatedNodes: 1 }, { ifMatch: pool.eTag! });
    emu.clock.advance(minutes(3));
    expect(await caught(client.resizePool('cpu', { targetDedicatedNodes: 0 }, { ifMatch: pool.eTag! }))).toMatchObject({ statusCode: 412, code: 'ConditionNotMet' });
  });

  it('answers PoolNotFound for an unknown pool', async () => {
    expect(await caught(client.getPool('nope'))).toMatchObject({ statusCode: 404, code: 'PoolNotFound' });
  });
});
