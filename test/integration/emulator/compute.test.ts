import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ComputeManagementClient, VirtualMachineScaleSetVM } from '@azure/arm-compute';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient, emulatorFetch } from './emulator-clients.js';

const RG = 'rg-test';
let emulator: Emulator;
let client: ComputeManagementClient;
let vmssId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, bootSeconds: 180, deallocateSeconds: 30, startSeconds: 60, deleteSeconds: 30 });
  client = computeClient(emulator);
});
afterAll(async () => emulator?.stop());
beforeEach(() => {
  emulator.reset();
  emulator.compute.setVmListPageSize(100);
  vmssId = emulator.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 3, startRunning: true });
});

async function listVms(c = client): Promise<VirtualMachineScaleSetVM[]> {
  const vms: VirtualMachineScaleSetVM[] = [];
  for await (const vm of c.virtualMachineScaleSetVMs.list(RG, 'pool', { expand: 'instanceView' })) vms.push(vm);
  return vms;
}
const power = (vm: VirtualMachineScaleSetVM) => vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;

describe('VMSS through ComputeManagementClient', () => {
  it('reads the scale set with sku.capacity and the Uniform model under properties', async () => {
    const vmss = await client.virtualMachineScaleSets.get(RG, 'pool');
    expect(vmss.id).toBe(vmssId);
    expect(vmss.sku?.capacity).toBe(3);
    expect(vmss.orchestrationMode).toBe('Uniform');
    expect(vmss.provisioningState).toBe('Succeeded');
  });

  it('changes capacity through the poller; new VMs boot in simulated time', async () => {
    const poller = await client.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 5 } });
    let vms = await listVms();
    expect(vms.map((v) => [v.instanceId, power(v)])).toEqual([
      ['0', 'PowerState/running'], ['1', 'PowerState/running'], ['2', 'PowerState/running'], ['3', 'PowerState/starting'], ['4', 'PowerState/starting'],
    ]);
    expect(vms[3]!.provisioningState).toBe('Creating');
    emulator.clock.advance(180_000);
    expect((await poller.pollUntilDone()).sku?.capacity).toBe(5);
    vms = await listVms();
    expect(vms.every((v) => power(v) === 'PowerState/running')).toBe(true);
  });

  it('scale-in by capacity removes the highest instance ids (Default policy), killing their sessions', async () => {
    emulator.compute.setSessions(vmssId, '2', { jupyter: 1 });
    const poller = await client.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 2 } });
    emulator.clock.advance(30_000);
    await poller.pollUntilDone();
    expect((await listVms()).map((v) => v.instanceId)).toEqual(['0', '1']);
    expect(emulator.compute.killedSessions(vmssId)).toBe(1);
  });

  it('deletes named instances; an idle VM costs no session, a busy one is counted as killed', async () => {
    emulator.compute.setSessions(vmssId, '1', { ssh: 2 });
    const first = await client.virtualMachineScaleSets.beginDeleteInstances(RG, 'pool', { instanceIds: ['0'] }, { forceDeletion: false });
    expect(emulator.compute.killedSessions(vmssId)).toBe(0);
    expect((await listVms()).find((v) => v.instanceId === '0')?.provisioningState).toBe('Deleting');
    emulator.clock.advance(30_000);
    await first.pollUntilDone();
    expect((await listVms()).map((v) => v.instanceId)).toEqual(['1', '2']);
    await client.virtualMachineScaleSets.beginDeleteInstances(RG, 'pool', { instanceIds: ['1'] });
    expect(emulator.compute.killedSessions(vmssId)).toBe(2);
    expect((await client.virtualMachineScaleSets.get(RG, 'pool')).sku?.capacity).toBe(1);
  });

  it('deallocates and starts instances; deallocated ones still count toward capacity', async () => {
    const deallocating = await client.virtualMachineScaleSets.beginDeallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: ['1', '2'] } });
    expect((await listVms()).map(power)).toEqual(['PowerState/running', 'PowerState/deallocating', 'PowerState/deallocating']);
    emulator.clock.advance(30_000);
    await deallocating.pollUntilDone();
    expect((await listVms()).map(power)).toEqual(['PowerState/running', 'PowerState/deallocated', 'PowerState/deallocated']);
    expect((await client.virtualMachineScaleSets.get(RG, 'pool')).sku?.capacity).toBe(3);
    const starting = await client.virtualMachineScaleSets.beginStart(RG, 'pool', { vmInstanceIDs: { instanceIds: ['2'] } });
    emulator.clock.advance(60_000);
    await starting.pollUntilDone();
    expect((await listVms()).map(power)).toEqual(['PowerState/running', 'PowerState/deallocated', 'PowerState/running']);
  });

  it('powers off instances (stopped, still allocated)', async () => {
    const poller = await client.virtualMachineScaleSets.beginPowerOff(RG, 'pool', { vmInstanceIDs: { instanceIds: ['0'] } });
    emulator.clock.advance(30_000);
    await poller.pollUntilDone();
    expect(power((await listVms())[0]!)).toBe('PowerState/stopped');
  });

  it('sets instance protection with a VMSS VM PUT and reads it back; protected VMs survive a capacity scale-in', async () => {
    const vm = await client.virtualMachineScaleSetVMs.get(RG, 'pool', '2');
    await client.virtualMachineScaleSetVMs.update(RG, 'pool', '2', { location: vm.location, protectionPolicy: { protectFromScaleIn: true } });
    const back = await client.virtualMachineScaleSetVMs.get(RG, 'pool', '2');
    expect(back.protectionPolicy).toEqual({ protectFromScaleIn: true, protectFromScaleSetActions: false });
    const poller = await client.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 2 } });
    emulator.clock.advance(30_000);
    await poller.pollUntilDone();
    expect((await listVms()).map((v) => v.instanceId)).toEqual(['0', '2']);
  });

  it('pages the VM list across at least 3 pages, keeping $expand on every page', async () => {
    emulator.compute.setVmListPageSize(2);
    await client.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 7 } });
    const pages: VirtualMachineScaleSetVM[][] = [];
    for await (const page of client.virtualMachineScaleSetVMs.list(RG, 'pool', { expand: 'instanceView' }).byPage()) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat().map((v) => v.instanceId)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(pages.flat().every((v) => power(v) !== undefined)).toBe(true);
    expect(emulator.calls({ operation: 'compute.vmssvm.list' })).toBe(4);
  });

  it('answers 404 with the ARM error body for an unknown scale set or instance', async () => {
    await expect(client.virtualMachineScaleSets.get(RG, 'nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    await expect(client.virtualMachineScaleSetVMs.get(RG, 'pool', '99')).rejects.toMatchObject({ statusCode: 404, code: 'NotFound' });
    await expect(client.virtualMachineScaleSets.deleteInstances(RG, 'pool', { instanceIds: ['99'] })).rejects.toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });

  it('answers 409 to a second operation while one runs on the same scale set', async () => {
    const first = await client.virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 4 } });
    await expect(client.virtualMachineScaleSets.beginDeallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: ['0'] } })).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
    // The scale-out runs until the new VM has booted (180 s): still a conflict at 179 s.
    emulator.clock.advance(179_000);
    await expect(client.virtualMachineScaleSets.beginDeallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: ['0'] } })).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
    emulator.clock.advance(1_000);
    await first.pollUntilDone();
    const deallocating = await client.virtualMachineScaleSets.beginDeallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: ['0'] } });
    emulator.clock.advance(30_000);
    await deallocating.pollUntilDone();
  });

  it('surfaces a failed long-running operation as an error and leaves the scale set as it was', async () => {
    emulator.faults.add({ operation: 'compute.vmss.update', kind: 'lro-failed', code: 'AllocationFailed', count: 1 });
    await expect(client.virtualMachineScaleSets.update(RG, 'pool', { sku: { capacity: 6 } })).rejects.toThrow(/AllocationFailed/);
    expect((await client.virtualMachineScaleSets.get(RG, 'pool')).sku?.capacity).toBe(3);
  });

  it('puts everything a poller needs into the first response: 200 with an absolute Azure-AsyncOperation, never 204', async () => {
    const patch = await emulatorFetch(emulator, `${vmssId}?api-version=2026-04-01`, { method: 'PATCH', body: { sku: { capacity: 4 } } });
    expect(patch.status).toBe(200);
    const statusUrl = patch.headers.get('azure-asyncoperation')!;
    expect(statusUrl.startsWith(`${emulator.url}/subscriptions/`)).toBe(true);
    expect((patch.body as { properties: { provisioningState: string } }).properties.provisioningState).toBe('Updating');
    emulator.clock.advance(180_000);
    const status = await emulatorFetch(emulator, statusUrl);
    expect(status.body).toMatchObject({ status: 'Succeeded', name: expect.any(String), startTime: expect.any(String), endTime: expect.any(String) });
    const post = await emulatorFetch(emulator, `${vmssId}/deallocate?api-version=2026-04-01`, { method: 'POST' });
    expect([post.status, post.body, post.headers.has('azure-asyncoperation'), post.headers.has('location')]).toEqual([202, undefined, true, true]);
  });

  it('lists VMs in the REST shape of the spec examples, with a nextLink that carries $expand', async () => {
    emulator.compute.setVmListPageSize(2);
    const first = await emulatorFetch(emulator, `${vmssId}/virtualMachines?api-version=2026-04-01&$expand=instanceView`);
    const page = first.body as { value: Record<string, unknown>[]; nextLink: string };
    expect(page.value[0]).toEqual({
      name: 'pool_0',
      id: `${vmssId}/virtualMachines/0`,
      type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
      location: 'westeurope',
      instanceId: '0',
      sku: { name: 'Standard_D4s_v5', tier: 'Standard' },
      properties: expect.objectContaining({
        provisioningState: 'Succeeded',
        protectionPolicy: { protectFromScaleIn: false, protectFromScaleSetActions: false },
        instanceView: expect.objectContaining({
          statuses: [
            { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', time: expect.any(String) },
            { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
          ],
        }),
      }),
    });
    expect(page.nextLink.startsWith(`${emulator.url}${vmssId}/virtualMachines?`)).toBe(true);
    const next = new URL(page.nextLink);
    expect([next.searchParams.get('$expand'), next.searchParams.get('api-version')]).toEqual(['instanceView', '2026-04-01']);
  });

  it('reports a failed operation as status Failed with the ARM error', async () => {
    emulator.faults.add({ operation: 'compute.vmss.deallocate', kind: 'lro-failed', code: 'OperationPreempted', message: 'preempted', count: 1 });
    const post = await emulatorFetch(emulator, `${vmssId}/deallocate?api-version=2026-04-01`, { method: 'POST', body: { instanceIds: ['0'] } });
    const status = await emulatorFetch(emulator, post.headers.get('azure-asyncoperation')!);
    expect(status.body).toMatchObject({ status: 'Failed', error: { code: 'OperationPreempted', message: 'preempted' } });
    expect(emulator.compute.instances(vmssId)[0]!.state).toBe('running');
  });
});
