import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient, emulatorFetch, monitorClient } from './emulator-clients.js';

const RG = 'rg-faults';
let emulator: Emulator;
let vmssId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => emulator?.stop());
beforeEach(() => {
  emulator.reset();
  vmssId = emulator.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 2, startRunning: true });
});

describe('fault injection', () => {
  it('a 429 is retried by the SDK pipeline (honouring retry-after-ms) and the call succeeds', async () => {
    emulator.faults.add({ operation: 'compute.vmss.get', kind: 'status', status: 429, retryAfterSeconds: 0.01, count: 2 });
    const vmss = await computeClient(emulator).virtualMachineScaleSets.get(RG, 'pool');
    expect(vmss.sku?.capacity).toBe(2);
    expect(emulator.calls({ operation: 'compute.vmss.get' })).toBe(3);
  });

  it("a persistent 429 surfaces as RestError 429 OperationNotAllowed (Compute's throttling code) after the retries", async () => {
    emulator.faults.add({ operation: 'compute.vmss.*', kind: 'status', status: 429, retryAfterSeconds: 0.01 });
    await expect(computeClient(emulator).virtualMachineScaleSets.get(RG, 'pool')).rejects.toMatchObject({ statusCode: 429, code: 'OperationNotAllowed' });
    expect(emulator.calls({ operation: 'compute.vmss.get' })).toBe(4);
    await expect(computeClient(emulator, { maxRetries: 0 }).virtualMachineScaleSets.update(RG, 'pool', { sku: { capacity: 3 } })).rejects.toMatchObject({ statusCode: 429 });
    expect(emulator.calls({ operation: 'compute.vmss.update' })).toBe(1);
  });

  it('429 and 503 carry Retry-After and retry-after-ms', async () => {
    emulator.faults.add({ operation: 'compute.vmss.get', kind: 'status', status: 503, retryAfterSeconds: 2, count: 1 });
    const r = await emulatorFetch(emulator, `${vmssId}?api-version=2026-04-01`);
    expect([r.status, r.headers.get('retry-after'), r.headers.get('retry-after-ms'), r.body]).toEqual([503, '2', '2000', { error: { code: 'ServiceUnavailable', message: expect.any(String) } }]);
  });

  it('409 and 500 surface with the code the rule names', async () => {
    emulator.faults.add({ operation: 'compute.vmss.deallocate', kind: 'status', status: 409, code: 'OperationNotAllowed', count: 1 });
    await expect(computeClient(emulator).virtualMachineScaleSets.deallocate(RG, 'pool', { vmInstanceIDs: { instanceIds: ['0'] } })).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    emulator.faults.add({ operation: 'monitor.metrics.list', kind: 'status', status: 500, count: 1 });
    await expect(monitorClient(emulator, { maxRetries: 0 }).metrics.list(vmssId.slice(1), { metricnames: 'Percentage CPU' })).rejects.toMatchObject({ statusCode: 500, code: 'InternalServerError' });
  });

  it('answers a Batch operation in the Batch error shape', async () => {
    emulator.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 });
    emulator.faults.add({ operation: 'batch.pool.get', kind: 'status', status: 503, count: 1 });
    const r = await emulatorFetch(emulator, '/pools/cpu?api-version=2025-06-01.21.0');
    expect([r.status, r.body]).toEqual([503, { 'odata.metadata': expect.any(String), code: 'ServerBusy', message: { lang: 'en-US', value: expect.any(String) } }]);
  });

  it('a dropped connection is retried by the pipeline', async () => {
    emulator.faults.add({ operation: 'compute.vmssvm.list', kind: 'drop', count: 1 });
    const ids: string[] = [];
    for await (const vm of computeClient(emulator).virtualMachineScaleSetVMs.list(RG, 'pool')) ids.push(vm.instanceId!);
    expect(ids).toEqual(['0', '1']);
    expect(emulator.calls({ operation: 'compute.vmssvm.list' })).toBe(2);
  });

  it('a rate fires on a seeded share of the calls, and only on the operations its glob matches', async () => {
    emulator.faults.add({ operation: 'compute.vmss.get', kind: 'status', status: 500, rate: 0.5 });
    const client = computeClient(emulator, { maxRetries: 0 });
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => client.virtualMachineScaleSets.get(RG, 'pool').then(() => 'ok', () => 'failed')));
    const failed = outcomes.filter((o) => o === 'failed').length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    await expect(client.virtualMachineScaleSetVMs.get(RG, 'pool', '0')).resolves.toMatchObject({ instanceId: '0' });
  });

  it('adds latency without failing the call, and removing a rule stops it', async () => {
    const id = emulator.faults.add({ operation: '*', kind: 'latency', latencyInMs: 20 });
    expect(emulator.faults.list()).toMatchObject([{ id, kind: 'latency', hits: 0 }]);
    await computeClient(emulator).virtualMachineScaleSets.get(RG, 'pool');
    expect(emulator.faults.list()[0]!.hits).toBe(1);
    emulator.faults.remove(id);
    expect(emulator.faults.list()).toEqual([]);
  });

  it('requires a bearer token (401 without one), accepts any api-version and doubled slashes', async () => {
    expect((await emulatorFetch(emulator, `${vmssId}?api-version=2026-04-01`, { token: null })).status).toBe(401);
    expect((await emulatorFetch(emulator, `/${vmssId}?api-version=1999-01-01`)).status).toBe(200);
  });
});
