// The emulator held to Azure's documented behaviour for long-running VM operations and for the read routes common
// tools call. Each case names its source; clients are the real SDKs (@azure/arm-compute, @azure/arm-monitor) or
// plain HTTPS, as `az rest` calls ARM.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualMachineScaleSetVM } from '@azure/arm-compute';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient, emulatorFetch, monitorClient } from './emulator-clients.js';

const RG = 'rg-lro';
let emulator: Emulator;
let vmssId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, bootSeconds: 180, startSeconds: 60, deallocateSeconds: 30, deleteSeconds: 30 });
});
afterAll(async () => emulator?.stop());
beforeEach(() => {
  emulator.reset();
  vmssId = emulator.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 2, startRunning: true });
});

const states = () => emulator.compute.instances(vmssId).map((i) => i.state);

/** POSTs an action (or PATCHes capacity) over plain HTTPS and returns the Azure-AsyncOperation status URL. */
async function begin(path: string, method: 'POST' | 'PATCH', body: unknown): Promise<string> {
  const r = await emulatorFetch(emulator, `${vmssId}${path}?api-version=2026-04-01`, { method, body });
  expect([200, 202]).toContain(r.status);
  return r.headers.get('azure-asyncoperation')!;
}
const statusOf = async (url: string) => ((await emulatorFetch(emulator, url)).body as { status: string }).status;

// Learn, "Track asynchronous Azure operations" (azure-resource-manager/management/async-operations): the status
// resource answers InProgress until the operation is done, then Succeeded, Failed or Canceled. The REST specs'
// LRO examples (azure-rest-api-specs, ComputeRP virtualMachineScaleSetExamples VirtualMachineScaleSet_Deallocate_*,
// _Start_*, _Restart_*, _DeleteInstances_*, _Update_*) answer 202/200 with Azure-AsyncOperation and x-ms-long-running-operation
// options final-state-via azure-async-operation: the operation is the work on the VMs, not the acceptance of the
// request. A start takes about a minute, a new DSVM several (issue reports of VMSS "Updating" while VMs boot).
describe('VM operations end when the instances reach their new state', () => {
  it.each([
    { action: 'deallocate', from: undefined, seconds: 30, during: 'deallocating', after: 'deallocated' },
    { action: 'start', from: 'deallocate', seconds: 60, during: 'starting', after: 'running' },
    { action: 'poweroff', from: undefined, seconds: 30, during: 'stopping', after: 'stopped' },
    { action: 'restart', from: undefined, seconds: 60, during: 'starting', after: 'running' },
  ])('$action: InProgress while the VM is $during, Succeeded once it is $after', async ({ action, from, seconds, during, after }) => {
    if (from) {
      await begin(`/${from}`, 'POST', { instanceIds: ['1'] });
      emulator.clock.advance(60_000);
    }
    const url = await begin(`/${action}`, 'POST', { instanceIds: ['1'] });
    emulator.clock.advance((seconds - 1) * 1000);
    expect([await statusOf(url), states()[1]]).toEqual(['InProgress', during]);
    emulator.clock.advance(1000);
    expect([await statusOf(url), states()[1]]).toEqual(['Succeeded', after]);
  });

  it('a restart ends the VM\'s sessions and runs until it is up again', async () => {
    emulator.compute.setSessions(vmssId, '0', { ssh: 2 });
    const url = await begin('/restart', 'POST', { instanceIds: ['0'] });
    expect([states()[0], emulator.compute.killedSessions(vmssId)]).toEqual(['starting', 2]);
    emulator.clock.advance(60_000);
    expect([await statusOf(url), states()[0]]).toEqual(['Succeeded', 'running']);
  });

  it('deleting instances: InProgress until the VMs are gone', async () => {
    const url = await begin('/delete', 'POST', { instanceIds: ['0'] });
    emulator.clock.advance(29_000);
    expect([await statusOf(url), states()]).toEqual(['InProgress', ['deleting', 'running']]);
    emulator.clock.advance(1000);
    expect([await statusOf(url), states()]).toEqual(['Succeeded', ['running']]);
  });

  it('a scale-out runs until the new VMs have booted: the scale set says Updating and refuses a second write (409)', async () => {
    const url = await begin('', 'PATCH', { sku: { capacity: 3 } });
    const compute = computeClient(emulator, { maxRetries: 0 });
    emulator.clock.advance(179_000);
    expect(await statusOf(url)).toBe('InProgress');
    expect((await compute.virtualMachineScaleSets.get(RG, 'pool')).provisioningState).toBe('Updating');
    await expect(compute.virtualMachineScaleSets.beginDeallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: ['0'] } })).rejects.toMatchObject({ statusCode: 409 });
    emulator.clock.advance(1000);
    expect([await statusOf(url), states()]).toEqual(['Succeeded', ['running', 'running', 'running']]);
    expect((await compute.virtualMachineScaleSets.get(RG, 'pool')).provisioningState).toBe('Succeeded');
  });

  it('a VMSS PUT that creates a scale set answers 201 and stays InProgress until its VMs are provisioned', async () => {
    const created = await emulatorFetch(emulator, `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/fresh?api-version=2026-04-01`, {
      method: 'PUT',
      body: { location: 'westeurope', sku: { name: 'Standard_D4s_v5', capacity: 1 } },
    });
    expect(created.status).toBe(201);
    const url = created.headers.get('azure-asyncoperation')!;
    emulator.clock.advance(179_000);
    expect(await statusOf(url)).toBe('InProgress');
    emulator.clock.advance(1000);
    expect(await statusOf(url)).toBe('Succeeded');
  });

  // @azure/core-lro (the SDK's poller, pollUntilDone): polls while the status is InProgress, honouring Retry-After,
  // and resolves only at a terminal status. So `await client.…start()` returns when the VM is running.
  it('the real SDK poller, awaited, returns only when the VMs are running (scaled clock)', async () => {
    const scaled = await startEmulator({ port: 0, clock: { speed: 600 }, bootSeconds: 180 });
    try {
      scaled.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 0 });
      const started = Date.now();
      await computeClient(scaled).virtualMachineScaleSets.update(RG, 'pool', { sku: { capacity: 2 } }, { updateIntervalInMs: 50 });
      const vms: VirtualMachineScaleSetVM[] = [];
      for await (const vm of computeClient(scaled).virtualMachineScaleSetVMs.list(RG, 'pool', { expand: 'instanceView' })) vms.push(vm);
      expect(vms.map((v) => v.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code)).toEqual(['PowerState/running', 'PowerState/running']);
      // 180 simulated seconds at 600× is 0.3 s of real time: the poller waited for the boot.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await scaled.stop();
    }
  });

  it('an operation that changes no VM state (instance protection) still ends at once', async () => {
    const compute = computeClient(emulator);
    await compute.virtualMachineScaleSetVMs.update(RG, 'pool', '0', { location: 'westeurope', protectionPolicy: { protectFromScaleIn: true } });
    expect((await compute.virtualMachineScaleSetVMs.get(RG, 'pool', '0')).protectionPolicy?.protectFromScaleIn).toBe(true);
  });

  it('an injected failed operation ends Failed after the short delay and leaves the VMs as they were', async () => {
    emulator.faults.add({ operation: 'compute.vmss.start', kind: 'lro-failed', code: 'AllocationFailed', count: 1 });
    await begin('/deallocate', 'POST', { instanceIds: ['1'] });
    emulator.clock.advance(30_000);
    const url = await begin('/start', 'POST', { instanceIds: ['1'] });
    emulator.clock.advance(2_000);
    expect([await statusOf(url), states()[1]]).toEqual(['Failed', 'deallocated']);
  });
});

describe('read routes common tools call', () => {
  // azure-rest-api-specs ComputeRP examples VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json
  // (GET …/virtualMachines/{instanceId}/instanceView): platform domains, computerName, OS and the
  // ProvisioningState/… and PowerState/… statuses.
  it('a VM instance view (virtualMachineScaleSetVMs.getInstanceView)', async () => {
    await begin('/deallocate', 'POST', { instanceIds: ['1'] });
    const view = await computeClient(emulator).virtualMachineScaleSetVMs.getInstanceView(RG, 'pool', '1');
    expect(view.statuses?.map((s) => s.code)).toEqual(['ProvisioningState/updating', 'PowerState/deallocating']);
    expect(view).toMatchObject({ platformUpdateDomain: 0, platformFaultDomain: 0, osName: 'ubuntu' });
    await expect(computeClient(emulator, { maxRetries: 0 }).virtualMachineScaleSetVMs.getInstanceView(RG, 'pool', '9')).rejects.toMatchObject({ statusCode: 404 });
  });

  // azure-rest-api-specs ComputeRP examples VirtualMachineScaleSet_GetInstanceView_MaximumSet_Gen.json
  // (GET …/virtualMachineScaleSets/{name}/instanceView): virtualMachine.statusesSummary counts VMs per status code.
  it('the scale set instance view (virtualMachineScaleSets.getInstanceView) counts VMs per provisioning state', async () => {
    await begin('', 'PATCH', { sku: { capacity: 3 } });
    const view = await computeClient(emulator).virtualMachineScaleSets.getInstanceView(RG, 'pool');
    expect(view.virtualMachine?.statusesSummary).toEqual([
      { code: 'ProvisioningState/succeeded', count: 2 },
      { code: 'ProvisioningState/creating', count: 1 },
    ]);
    expect(view.statuses?.map((s) => s.code)).toEqual(['ProvisioningState/updating']);
  });

  // azure-rest-api-specs ComputeRP examples VirtualMachineScaleSets_List_MaximumSet_Gen.json
  // (GET …/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets): { value: [VMSS…] }.
  it('lists the scale sets of a resource group (virtualMachineScaleSets.list)', async () => {
    emulator.compute.createScaleSet({ resourceGroup: RG, name: 'second', capacity: 0 });
    emulator.compute.createScaleSet({ resourceGroup: 'rg-other', name: 'elsewhere', capacity: 0 });
    const compute = computeClient(emulator, { maxRetries: 0 });
    const names: string[] = [];
    for await (const s of compute.virtualMachineScaleSets.list(RG)) names.push(`${s.name}:${s.sku?.capacity}`);
    expect(names).toEqual(['pool:2', 'second:0']);
    const missing = async () => {
      for await (const s of compute.virtualMachineScaleSets.list('rg-nowhere')) void s;
    };
    await expect(missing()).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
  });

  // azure-rest-api-specs Monitor examples GetMetricDefinitions.json (GET {resourceUri}/providers/
  // Microsoft.Insights/metricDefinitions): name { value, localizedValue }, unit, aggregations, dimensions.
  it('lists metric definitions: platform by default, the custom namespace when asked (metricDefinitions.list)', async () => {
    emulator.clock.advance(60_000);
    const monitor = monitorClient(emulator);
    const platform: string[] = [];
    for await (const d of monitor.metricDefinitions.list(vmssId.slice(1))) platform.push(`${d.name?.value}:${d.unit}:${d.dimensions?.map((x) => x.value).join(',')}`);
    expect(platform).toEqual(['Percentage CPU:Percent:VMName']);
    const custom: string[] = [];
    for await (const d of monitor.metricDefinitions.list(vmssId.slice(1), { metricnamespace: 'DSVMPool' })) custom.push(`${d.namespace}/${d.name?.value}:${d.dimensions?.map((x) => x.value).join(',')}`);
    expect(custom).toEqual(['DSVMPool/ActiveSessions:InstanceId,Kind']);
  });

  // azure-rest-api-specs Monitor examples GetMetricNamespaces.json (GET {resourceUri}/providers/
  // microsoft.insights/metricNamespaces): classification Platform or Custom, properties.metricNamespaceName.
  it('lists metric namespaces: the platform one and each custom one posted (metricNamespaces.list)', async () => {
    const monitor = monitorClient(emulator);
    const before: string[] = [];
    for await (const n of monitor.metricNamespaces.list(vmssId.slice(1))) before.push(`${n.classification}:${n.properties?.metricNamespaceName}`);
    expect(before).toEqual(['Platform:Microsoft.Compute/virtualMachineScaleSets']);
    emulator.clock.advance(60_000);
    const after: string[] = [];
    for await (const n of monitor.metricNamespaces.list(vmssId.slice(1))) after.push(`${n.classification}:${n.properties?.metricNamespaceName}`);
    expect(after).toEqual(['Platform:Microsoft.Compute/virtualMachineScaleSets', 'Custom:DSVMPool']);
  });
});
