// Contract: listing tasks through our Batch client — paging by odata.nextLink, $filter on state and state change
// time, $select.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchClient } from '../../../src/azure/batch/batch-client.js';
import type { BatchTask } from '../../../src/azure/batch/models.js';
import { startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;
let client: BatchClient;

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

beforeAll(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, taskSlotsPerNode: 4, targetDedicatedNodes: 2 });
  client = emu.client();
  await client.addJob({ id: 'list-jobs', poolInfo: { poolId: 'cpu' } });
  // 25 tasks: the 8 short ones finish after 1 minute; 'zz-late' is added after the clock moved.
  const tasks = Array.from({ length: 24 }, (_, i) => ({
    id: `t-${String(i).padStart(2, '0')}`,
    commandLine: 'echo hi',
    environmentSettings: [{ name: 'EMULATOR_TASK_SECONDS', value: i < 8 ? '60' : '3600' }],
  }));
  await client.addTaskCollection('list-jobs', tasks);
  emu.clock.advance(90_000);
  await client.addTask('list-jobs', { id: 'zz-late', commandLine: 'echo late' });
});
afterAll(async () => emu?.stop());

describe('Batch task listing through the client', () => {
  it('follows odata.nextLink across pages, keeping filter and page size', async () => {
    const pages = await all(client.listTasks('list-jobs', { maxResults: 10 }).byPage());
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const ids = pages.flat().map((t) => t.id);
    expect(new Set(ids).size).toBe(25);
    expect(ids[0]).toBe('t-00');
  });

  it('iterates items across pages', async () => {
    const items = await all(client.listTasks('list-jobs', { maxResults: 7 }));
    expect(items).toHaveLength(25);
  });

  it("filters on state eq 'completed'", async () => {
    const done = await all(client.listTasks('list-jobs', { filter: "state eq 'completed'", maxResults: 3 }));
    expect(done.map((t) => t.id).sort()).toEqual(['t-00', 't-01', 't-02', 't-03', 't-04', 't-05', 't-06', 't-07']);
  });

  it('filters on stateTransitionTime with datetime literals, combined with and/or', async () => {
    const all25 = await all(client.listTasks('list-jobs'));
    const added = all25.find((t) => t.id === 'zz-late')!;
    const since = new Date(Date.parse(added.creationTime!) - 1000).toISOString();
    const changed = await all(client.listTasks('list-jobs', { filter: `stateTransitionTime gt datetime'${since}'` }));
    // Only the late task (waiting: all 8 slots run long tasks) changed state after it was added; t-00..t-07 completed 30 s before.
    expect(changed.map((t) => t.id)).toEqual(['zz-late']);
    const either = await all(
      client.listTasks('list-jobs', { filter: `(state eq 'completed' or stateTransitionTime ge datetime'${since}') and state ne 'running'` }),
    );
    expect(either.map((t) => t.id)).toHaveLength(9);
  });

  it('returns only the $select-ed properties', async () => {
    const [first] = await all(client.listTasks('list-jobs', { select: ['id', 'state', 'executionInfo'], maxResults: 1 }).byPage());
    const t = first![0] as BatchTask & Record<string, unknown>;
    expect(Object.keys(t).filter((k) => !k.startsWith('odata.')).sort()).toEqual(['executionInfo', 'id', 'state']);
  });

  it('answers 400 InvalidQueryParameterValue for a filter it cannot parse', async () => {
    await expect(all(client.listTasks('list-jobs', { filter: "state eq completed'" }))).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidQueryParameterValue',
    });
  });

  it('lists pools', async () => {
    const pools = await all(client.listPools());
    expect(pools.map((p) => p.id)).toEqual(['cpu']);
  });
});
