// The drain contract over the wire: the ScaleSet adapter's drain/undrain are Run Command calls through the real
// ComputeManagementClient against the emulator, which answers with the VM's real session counts and stops placing
// new users on a drained VM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAIN_COMMAND } from '../../../src/autoscale/drain-contract.js';
import type { ScaleSet } from '../../../src/autoscale/scale-set.port.js';
import { createScaleSetResolver } from '../../../src/azure/vmss.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient } from '../emulator/emulator-clients.js';

let emulator: Emulator;
let dir: string;
let scaleSet: ScaleSet;
let id: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'drain-'));
  writeFileSync(join(dir, 'ca.pem'), emulator.caPem);
});
afterAll(async () => {
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.reset();
  id = emulator.compute.createScaleSet({ resourceGroup: 'rg-drain', name: 'pool', capacity: 3, startRunning: true });
  const resolve = createScaleSetResolver({ armEndpoint: emulator.url, credential: 'emulator', tlsCaFile: join(dir, 'ca.pem'), lroWaitMs: 20_000, armMaxRetries: 0 });
  scaleSet = resolve(id);
});

const drainedOf = () => emulator.compute.instances(id).filter((i) => i.drained).map((i) => i.instanceId);

/**
 * Waits for an adapter operation on one VM: once the emulator shows the VM in its transition, moves the clock past
 * it (the operation ends when the VM reaches its new state, as in Azure), and the adapter's next poll sees it done.
 */
async function completing(operation: Promise<void>, instanceId: string, transition: string, ms: number): Promise<void> {
  await vi.waitFor(() => expect(emulator.compute.instances(id).find((i) => i.instanceId === instanceId)?.state).toBe(transition));
  emulator.clock.advance(ms);
  await operation;
}

describe('drain over Run Command', () => {
  it('answers with the VM\'s real session counts in the RunShellScript result shape', async () => {
    emulator.compute.setSessions(id, '1', { ssh: 1, jupyter: 2 });
    const raw = await computeClient(emulator).virtualMachineScaleSetVMs.beginRunCommandAndWait('rg-drain', 'pool', '2', { commandId: 'RunShellScript', script: [DRAIN_COMMAND] });
    expect(raw.value?.[0]).toMatchObject({ code: 'ProvisioningState/succeeded', message: expect.stringContaining('[stdout]\n{"drained":true,"ssh":0,"jupyter":0}') });
    expect(await scaleSet.drain('1')).toEqual({ ok: true, counts: { ssh: 1, jupyter: 2, unknown: [] } });
    expect(drainedOf()).toEqual(['1', '2']);
    expect(emulator.calls({ operation: 'compute.vmssvm.runCommand' })).toBe(2);
  });

  it('places no new user on a drained VM, and undrain restores placement', async () => {
    await Promise.all([scaleSet.drain('0'), scaleSet.drain('1')]);
    emulator.compute.setUsers(id, 12, 'ssh');
    expect(emulator.compute.instances(id).map((i) => i.sessions.ssh)).toEqual([0, 0, 12]);
    await scaleSet.undrain('0');
    expect(drainedOf()).toEqual(['1']);
    emulator.compute.setUsers(id, 52, 'ssh');
    const [vm0, vm1] = emulator.compute.instances(id).map((i) => i.sessions.ssh);
    expect(vm0).toBeGreaterThan(0);
    expect(vm1).toBe(0);
  });

  it('lifts the drain when the VM is started again (a boot clears /run)', async () => {
    await scaleSet.drain('0');
    await completing(scaleSet.deallocate(['0']), '0', 'deallocating', 60_000);
    await completing(scaleSet.start(['0']), '0', 'starting', 120_000);
    expect(drainedOf()).toEqual([]);
  });

  it('surfaces faults as classified errors and changes nothing', async () => {
    emulator.faults.add({ operation: 'compute.vmssvm.runCommand', kind: 'status', status: 429, retryAfterSeconds: 1, count: 1 });
    await expect(scaleSet.drain('0')).rejects.toMatchObject({ code: 'ARM_THROTTLED' });
    emulator.faults.add({ operation: 'compute.vmssvm.runCommand', kind: 'lro-failed', count: 1 });
    await expect(scaleSet.drain('0')).rejects.toMatchObject({ code: 'ARM_LRO_FAILED' });
    expect(drainedOf()).toEqual([]);
  });

  it('refuses Run Command on a VM that is not running', async () => {
    await completing(scaleSet.deallocate(['2']), '2', 'deallocating', 30_000);
    await expect(scaleSet.drain('2')).rejects.toMatchObject({ code: 'ARM_CONFLICT' });
  });
});
