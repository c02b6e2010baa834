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
  await seedDemoScaleSet(_ctx);
}

/**
 * Autoscale's part: the demo scale set `dsvm-demo` (capacity 0) and its `kind: vmss` policy: scale to zero, 4 seats a
 * VM, 2 spare seats, one VM kept warm in Berlin office hours; /connect lands on the pool's status page.
 */
async function seedDemoScaleSet(ctx: DemoContext & { emulator?: { compute: { createScaleSet(o: { subscriptionId?: string; resourceGroup: string; name: string; capacity?: number }): string } } }): Promise<void> {
  const demo = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'dsvm-pool-demo', name: 'dsvm-demo' };
  const target = `/subscriptions/${demo.subscriptionId}/resourceGroups/${demo.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${demo.name}`;
  try {
    ctx.emulator?.compute.createScaleSet({ ...demo, capacity: 0 });
  } catch {
    // Already there (an emulator that outlives the stack): keep it as it is.
  }
  const policies = TableClient.fromConnectionString(ctx.storageConnectionString, 'policies', { allowInsecureConnection: true });
  const schedules = [{ name: 'office hours', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', timeZone: 'Europe/Berlin', minInstances: 1 }];
  await policies
    .createEntity({
      partitionKey: 'pool', rowKey: demo.name, kind: 'vmss', target, enabled: true, dryRun: false,
      minInstances: 0, maxInstances: 5, seatsPerInstance: 4, spareSeats: 0, idleMinutesBeforeScaleIn: 30, scaleToZero: true,
      scaleInAction: 'deallocate', scaleOutCooldownMinutes: 2, scaleInCooldownMinutes: 10, maxScaleOutStep: 5, wakeHoldMinutes: 30,
      maxDeallocated: 0, schedules: JSON.stringify(schedules), connectUrl: `http://localhost:7071/api/pools/${demo.name}`,
    })
    .catch((e: { statusCode?: number }) => (e.statusCode === 409 ? undefined : Promise.reject(e)));
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
