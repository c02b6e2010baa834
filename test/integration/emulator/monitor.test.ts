import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MonitorClient } from '@azure/arm-monitor';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { emulatorFetch, monitorClient } from './emulator-clients.js';

let emulator: Emulator;
let client: MonitorClient;
let vmssId: string;
const SESSIONS = { metricnamespace: 'DSVMPool', metricnames: 'ActiveSessions', aggregation: 'Maximum', interval: 'PT1M' };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: { start: new Date('2026-03-02T09:00:00Z') } });
  client = monitorClient(emulator);
});
afterAll(async () => emulator?.stop());
beforeEach(() => {
  emulator.reset();
  vmssId = emulator.compute.createScaleSet({ resourceGroup: 'rg-mon', name: 'pool', capacity: 3, startRunning: true });
});

const now = () => emulator.clock.now();
const span = (minutes: number) => `${new Date(now().getTime() - minutes * 60_000).toISOString()}/${now().toISOString()}`;
/** resourceUri without the leading slash, as the adapters pass it. */
const uri = () => vmssId.slice(1);

function post(instanceId: string, kind: string, value: number, time = now()) {
  // The body the VM reporter sends (plain HTTPS, no SDK).
  return emulatorFetch(emulator, `${vmssId}/metrics`, {
    method: 'POST',
    body: { time: time.toISOString(), data: { baseData: { metric: 'ActiveSessions', namespace: 'DSVMPool', dimNames: ['InstanceId', 'Kind'], series: [{ dimValues: [instanceId, kind], min: value, max: value, sum: value, count: 1 }] } } },
  });
}

type Series = { metadatavalues?: { name?: { value?: string }; value?: string }[]; data?: { timeStamp: Date; maximum?: number }[] };
const byDims = (ts: Series[]) =>
  Object.fromEntries(ts.map((t) => [t.metadatavalues!.map((m) => `${m.name!.value}=${m.value}`).join(','), t.data!.map((d) => d.maximum ?? null)]));

describe('custom metrics through MonitorClient', () => {
  it('stores what the reporter posts and reads it back per dimension', async () => {
    for (const id of ['0', '1', '2']) emulator.compute.setReporting(vmssId, id, false);
    const halfAMinuteAgo = new Date(now().getTime() - 30_000);
    expect((await post('0', 'jupyter', 3, halfAMinuteAgo)).status).toBe(200);
    expect((await post('1', 'ssh', 1, halfAMinuteAgo)).status).toBe(200);
    const result = await client.metrics.list(uri(), { ...SESSIONS, timespan: span(1), filter: "InstanceId eq '*' and Kind eq '*'" });
    expect(byDims(result.value[0]!.timeseries as Series[])).toEqual({ 'instanceid=0,kind=jupyter': [3], 'instanceid=1,kind=ssh': [1] });
    const onlySsh = await client.metrics.list(uri(), { ...SESSIONS, timespan: span(1), filter: "(InstanceId eq '0' or InstanceId eq '1') and Kind eq 'ssh'" });
    expect(byDims(onlySsh.value[0]!.timeseries as Series[])).toEqual({ 'instanceid=1,kind=ssh': [1] });
  });

  it('emits ActiveSessions every simulated minute per running VM and kind, 0 when idle, nothing from a broken reporter', async () => {
    emulator.compute.setSessions(vmssId, '0', { jupyter: 2, ssh: 1 });
    emulator.compute.setReporting(vmssId, '2', false);
    emulator.clock.advance(3 * 60_000);
    const result = await client.metrics.list(uri(), { ...SESSIONS, timespan: span(3), filter: "InstanceId eq '*' and Kind eq '*'" });
    expect(byDims(result.value[0]!.timeseries as Series[])).toEqual({
      'instanceid=0,kind=jupyter': [2, 2, 2],
      'instanceid=0,kind=ssh': [1, 1, 1],
      'instanceid=1,kind=jupyter': [0, 0, 0],
      'instanceid=1,kind=ssh': [0, 0, 0],
    });
  });

  it('splits by one dimension and aggregates the others; without a filter, one series over all', async () => {
    emulator.compute.setSessions(vmssId, '0', { jupyter: 2 });
    emulator.compute.setSessions(vmssId, '1', { jupyter: 1, ssh: 4 });
    emulator.clock.advance(60_000);
    const byInstance = await client.metrics.list(uri(), { ...SESSIONS, aggregation: 'Total', timespan: span(1), filter: "InstanceId eq '*'" });
    const totals = Object.fromEntries(byInstance.value[0]!.timeseries!.map((t) => [t.metadatavalues![0]!.value, t.data![0]!.total]));
    expect(totals).toEqual({ '0': 2, '1': 5, '2': 0 });
    const all = await client.metrics.list(uri(), { ...SESSIONS, aggregation: 'Total,Count', timespan: span(1) });
    expect(all.value[0]!.timeseries!.map((t) => [t.metadatavalues, t.data![0]!.total, t.data![0]!.count])).toEqual([[[], 7, 6]]);
  });

  it('returns at most `top` series when splitting (default 10, as Azure)', async () => {
    emulator.compute.createScaleSet({ resourceGroup: 'rg-mon', name: 'big', capacity: 6, startRunning: true });
    emulator.clock.advance(60_000);
    const big = 'subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Compute/virtualMachineScaleSets/big';
    const filter = "InstanceId eq '*' and Kind eq '*'";
    expect((await client.metrics.list(big, { ...SESSIONS, timespan: span(1), filter })).value[0]!.timeseries).toHaveLength(10);
    expect((await client.metrics.list(big, { ...SESSIONS, timespan: span(1), filter, top: 50 })).value[0]!.timeseries).toHaveLength(12);
  });

  it('serves the platform metric Percentage CPU per VM, higher on a busy VM', async () => {
    emulator.compute.setSessions(vmssId, '1', { jupyter: 3 });
    emulator.clock.advance(60_000);
    const r = await client.metrics.list(uri(), { metricnames: 'Percentage CPU', aggregation: 'Average', timespan: span(1), filter: "VMName eq '*'" });
    const cpu = Object.fromEntries(r.value[0]!.timeseries!.map((t) => [t.metadatavalues![0]!.value, t.data![0]!.average!]));
    expect(Object.keys(cpu).sort()).toEqual(['pool_0', 'pool_1', 'pool_2']);
    expect(cpu.pool_1!).toBeGreaterThan(cpu.pool_0!);
    expect(r.value[0]!.unit).toBe('Percent');
  });

  it('answers in the documented REST shape', async () => {
    emulator.clock.advance(2 * 60_000);
    const q = new URLSearchParams({ 'api-version': '2024-02-01', ...SESSIONS, timespan: span(2), $filter: "InstanceId eq '0' and Kind eq 'ssh'" });
    const { status, body } = await emulatorFetch(emulator, `${vmssId}/providers/Microsoft.Insights/metrics?${q}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      cost: expect.any(Number),
      timespan: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z\/\d{4}-.*Z$/),
      interval: 'PT1M',
      namespace: 'dsvmpool',
      resourceregion: 'westeurope',
      value: [{
        id: `${vmssId}/providers/Microsoft.Insights/metrics/ActiveSessions`,
        type: 'Microsoft.Insights/metrics',
        name: { value: 'ActiveSessions', localizedValue: 'ActiveSessions' },
        displayDescription: '',
        unit: 'Unspecified',
        errorCode: 'Success',
        timeseries: [{
          metadatavalues: [{ name: { value: 'instanceid', localizedValue: 'instanceid' }, value: '0' }, { name: { value: 'kind', localizedValue: 'kind' }, value: 'ssh' }],
          data: [{ timeStamp: expect.any(String), maximum: 0 }, { timeStamp: expect.any(String), maximum: 0 }],
        }],
      }],
    });
  });

  it('rejects bad input with 400 and a message that says what to fix', async () => {
    const old = await post('0', 'ssh', 1, new Date(now().getTime() - 25 * 60_000));
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ error: { code: 'InvalidTimestamp', message: expect.stringMatching(/20 minutes/) } });
    const malformed = await emulatorFetch(emulator, `${vmssId}/metrics`, { method: 'POST', body: { time: now().toISOString(), data: { baseData: { metric: 'ActiveSessions', namespace: 'DSVMPool', dimNames: ['InstanceId'], series: [{ dimValues: [], min: 1, max: 1, sum: 1, count: 1 }] } } } });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'InvalidPayload', message: expect.stringMatching(/dimValues/) } } });
    await expect(client.metrics.list(uri(), { ...SESSIONS, filter: "InstanceId eq '*' andd Kind eq '*'" })).rejects.toMatchObject({ statusCode: 400, code: 'BadRequest' });
    await expect(client.metrics.list(uri(), { ...SESSIONS, metricnames: 'NeverPosted' })).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/Failed to find metric configuration/) });
    expect((await emulatorFetch(emulator, '/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachineScaleSets/z/metrics', { method: 'POST', body: {} })).status).toBe(404);
  });
});
