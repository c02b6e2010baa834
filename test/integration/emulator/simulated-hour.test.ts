import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { MonitorClient } from '@azure/arm-monitor';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient, monitorClient } from './emulator-clients.js';

const RG = 'rg-hour';
let emulator: Emulator;
let compute: ComputeManagementClient;
let monitor: MonitorClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: { start: new Date('2026-03-02T08:00:00Z') }, bootSeconds: 180, deallocateSeconds: 30, startSeconds: 60 });
  compute = computeClient(emulator);
  monitor = monitorClient(emulator);
});
afterAll(async () => emulator?.stop());

describe('an hour of simulated pool life', () => {
  it('boots, serves users, scales in, and reports it all in Monitor, driven through the real clients', async () => {
    const id = emulator.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 0 });
    const minute = () => emulator.clock.advance(60_000);

    // 08:00 morning: scale out to 3; VMs boot in 3 simulated minutes.
    // The scale-out operation runs until the VMs are up (Azure's operation ends when the instances do).
    const scaleOut = await compute.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 3 } });
    for (let m = 0; m < 5; m++) minute();
    await scaleOut.pollUntilDone();
    expect(emulator.compute.instances(id).map((i) => i.state)).toEqual(['running', 'running', 'running']);

    // 08:05 twelve users log in, placed by the load balancer; they stay 40 minutes.
    expect(emulator.compute.setUsers(id, 12, 'jupyter').unplaced).toBe(0);
    for (let m = 0; m < 40; m++) minute();

    // 08:45 most leave; the VM that is now idle (if any) or the least used one is chosen by us, not by the scale set.
    emulator.compute.setUsers(id, 2, 'jupyter');
    const busy = emulator.compute.instances(id).filter((i) => i.sessions.jupyter > 0).map((i) => i.instanceId);
    const idle = emulator.compute.instances(id).filter((i) => i.sessions.jupyter === 0).map((i) => i.instanceId);
    // 08:49 the idle ones are deallocated; the operation ends when they are (30 s), before the next write at 08:50.
    for (let m = 0; m < 4; m++) minute();
    const deallocating = idle.length > 0 ? await compute.virtualMachineScaleSets.beginDeallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: idle } }) : undefined;
    minute();
    await deallocating?.pollUntilDone();
    expect(emulator.compute.killedSessions(id)).toBe(0);

    // 08:50 a careless scale-in by capacity takes the highest ids, whoever is on them.
    const sessionsOnHighest = emulator.compute.instances(id).at(-1)!.sessions.jupyter;
    const scaleIn = await compute.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 2 } });
    expect(emulator.compute.killedSessions(id)).toBe(sessionsOnHighest);
    for (let m = 0; m < 10; m++) minute();
    await scaleIn.pollUntilDone();
    expect(emulator.clock.now().toISOString()).toBe('2026-03-02T09:00:00.000Z');

    // Monitor saw every running minute: 12 users in total between 08:06 and 08:45.
    const r = await monitor.metrics.list(id.slice(1), {
      metricnamespace: 'DSVMPool', metricnames: 'ActiveSessions', aggregation: 'Maximum,Count', interval: 'PT1M',
      timespan: '2026-03-02T08:00:00Z/2026-03-02T09:00:00Z', filter: "InstanceId eq '*' and Kind eq 'jupyter'", top: 100,
    });
    const series = r.value[0]!.timeseries!;
    expect(series.map((s) => s.metadatavalues![0]!.value).sort()).toEqual(['0', '1', '2']);
    for (const s of series) expect(s.data).toHaveLength(60);
    const totalAt = (t: string) => series.reduce((n, s) => n + (s.data!.find((d) => d.timeStamp.toISOString() === t)?.maximum ?? 0), 0);
    expect(totalAt('2026-03-02T08:20:00.000Z')).toBe(12);
    expect(totalAt('2026-03-02T08:47:00.000Z')).toBe(2);
    // Booting minutes carry no data: the first sample is the minute the VMs came up.
    expect(series.every((s) => s.data!.slice(0, 2).every((d) => d.maximum === undefined) && s.data![2]!.maximum === 0)).toBe(true);
    expect(busy.length).toBeGreaterThan(0);
  });
});
