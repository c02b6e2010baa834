// The session-metric adapter reads every VM of a large pool in ONE query. Azure Monitor returns at most `top`
// timeseries per metric when a query splits by dimension: Metrics - List, parameter `top`, "The maximum number of
// records to retrieve. Valid only if $filter is specified. Defaults to 10." (Azure/azure-rest-api-specs,
// Microsoft.Insights metrics API; the same text in every generated Monitor SDK).
// 8 VMs × 2 kinds = 16 series: a query without a large enough `top` would drop VMs, which autoscale would then
// count as having no data. The emulator applies the same default.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionMetrics } from '../../../src/azure/metrics.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: { start: new Date('2026-03-02T09:00:00Z') } });
  dir = mkdtempSync(join(tmpdir(), 'metrics-top-'));
  writeFileSync(join(dir, 'ca.pem'), emulator.caPem);
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('session metrics of a pool with more series than Monitor returns by default', () => {
  it('reads all 8 VMs (16 series) with their sessions in one query', async () => {
    const vmssId = emulator.compute.createScaleSet({ resourceGroup: 'rg-top', name: 'big', capacity: 8, startRunning: true });
    for (let i = 0; i < 8; i++) emulator.compute.setSessions(vmssId, String(i), { jupyter: i % 3, ssh: 1 });
    emulator.clock.advance(3 * 60_000);
    const metrics = createSessionMetrics({ armEndpoint: emulator.url, credential: 'emulator', tlsCaFile: join(dir, 'ca.pem'), armMaxRetries: 0 });
    const now = emulator.clock.now();
    const read = await metrics.read(vmssId, { from: new Date(now.getTime() - 3 * 60_000), to: now });
    expect([...read.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    for (let i = 0; i < 8; i++) expect(read.get(String(i))).toMatchObject({ hasData: true, latest: (i % 3) + 1 });
  });
});
