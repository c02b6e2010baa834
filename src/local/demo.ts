// Demo data for `npm start`: a scale set at capacity 0, GPU and CPU Batch pools at 0 nodes, and their policies.
// Each part of the product adds its own seeding here.
import { TableClient } from '@azure/data-tables';
import type { BatchEmulator } from './emulator/batch/index.js';

export interface DemoContext {
  /** AzureWebJobsStorage connection string of the local Azurite. */
  storageConnectionString: string;
  /** Base URL of the local emulator (ARM, Monitor and Batch). */
  emulatorUrl: string;
}

export async function seedDemo(_ctx: DemoContext): Promise<void> {
  // Filled in by the autoscale and job-service parts.
  await seedBatchPools(_ctx);
}

/** The job service's part: the emulator's `gpu` and `cpu` Batch pools at 0 nodes and their `kind: batch` policies. */
async function seedBatchPools(ctx: DemoContext & { emulator?: { batch: BatchEmulator } }): Promise<void> {
  const pools = [
    { id: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28 },
    { id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 },
  ];
  const existing = new Set(ctx.emulator?.batch.state().pools.map((p) => p.id) ?? []);
  const policies = TableClient.fromConnectionString(ctx.storageConnectionString, 'policies', { allowInsecureConnection: true });
  for (const { id, ...size } of pools) {
    if (ctx.emulator && !existing.has(id)) ctx.emulator.batch.createPool({ id, ...size, nodeStartSeconds: 120 });
    // Created only when missing: an admin's edits survive a restart with persisted storage.
    await policies
      .createEntity({ partitionKey: 'pool', rowKey: id, kind: 'batch', poolId: id, ...size, enabled: true, minNodes: 0, maxNodes: 4, idleMinutesBeforeScaleDown: 10 })
      .catch((e: { statusCode?: number }) => (e.statusCode === 409 ? undefined : Promise.reject(e)));
  }
}
