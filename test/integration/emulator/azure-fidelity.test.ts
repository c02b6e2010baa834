// The emulator held to Azure's documented behaviour, not to our own client: each case names its source. Clients are
// the real SDKs (@azure/arm-compute, @azure/arm-monitor) or plain HTTPS, as other tools call ARM.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient, emulatorFetch, monitorClient } from './emulator-clients.js';

const RG = 'rg-fidelity';
let emulator: Emulator;
let vmssId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => emulator?.stop());
beforeEach(() => {
  emulator.reset();
  vmssId = emulator.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 1, startRunning: true });
});

describe('ARM errors as Azure answers them', () => {
  // ARM: a resource in a resource group that does not exist is 404 ResourceGroupNotFound ("Resource group '…' could
  // not be found."); a missing resource in an existing group is ResourceNotFound (Learn, "Resolve resource not found
  // errors", https://aka.ms/ARMResourceNotFoundFix).
  it('a missing resource group is ResourceGroupNotFound; a missing scale set in an existing group is ResourceNotFound', async () => {
    const compute = computeClient(emulator, { maxRetries: 0 });
    await expect(compute.virtualMachineScaleSets.get('rg-nowhere', 'pool')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
    await expect(compute.virtualMachineScaleSets.get(RG, 'other')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  // Learn, "Troubleshooting API throttling errors" (Azure VMs): Compute (CRP) throttling is HTTP 429 with error code
  // OperationNotAllowed and a TooManyRequests detail naming the policy that ran out.
  it('Compute throttling is 429 OperationNotAllowed with a TooManyRequests detail', async () => {
    emulator.faults.add({ operation: 'compute.vmss.get', kind: 'status', status: 429, retryAfterSeconds: 0.01 });
    const r = await emulatorFetch(emulator, `${vmssId}?api-version=2026-04-01`);
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ error: { code: 'OperationNotAllowed', details: [{ code: 'TooManyRequests' }] } });
    await expect(computeClient(emulator, { maxRetries: 0 }).virtualMachineScaleSets.get(RG, 'pool')).rejects.toMatchObject({ statusCode: 429, code: 'OperationNotAllowed' });
  });

  // Learn, "Understand how Azure Resource Manager throttles requests" and the AKS error page "TooManyRequestsReceived
  // or SubscriptionRequestsThrottled": ARM's own subscription limits answer 429 SubscriptionRequestsThrottled.
  it('ARM (non-Compute) throttling is 429 SubscriptionRequestsThrottled', async () => {
    emulator.faults.add({ operation: 'monitor.metrics.list', kind: 'status', status: 429, retryAfterSeconds: 0.01 });
    const r = await emulatorFetch(emulator, `${vmssId}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=ActiveSessions&metricnamespace=DSVMPool`);
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ error: { code: 'SubscriptionRequestsThrottled' } });
  });

  // RFC 6750 §3 and ARM: a 401 carries a WWW-Authenticate Bearer challenge with Entra's authorization_uri, which
  // clients (azure-identity's challenge handling, az rest) read.
  it('401 carries a WWW-Authenticate Bearer challenge', async () => {
    const r = await emulatorFetch(emulator, `${vmssId}?api-version=2026-04-01`, { token: null });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\/[^"]+"/);
  });

  // ARM returns x-ms-correlation-request-id on every response (Learn, "Azure Resource Manager request and response
  // headers"), whether or not the client sent x-ms-client-request-id.
  it('x-ms-correlation-request-id comes back on every answer, success or error', async () => {
    for (const path of [`${vmssId}?api-version=2026-04-01`, `/subscriptions/x/resourceGroups/none/providers/Microsoft.Compute/virtualMachineScaleSets/y?api-version=2026-04-01`]) {
      const r = await emulatorFetch(emulator, path);
      expect(r.headers.get('x-ms-correlation-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('Monitor metrics as Azure answers them', () => {
  // azure-rest-api-specs, Microsoft.Insights metrics 2024-02-01, example GetMetricError.json: a query with
  // interval=FULL is answered with the span it covers in `interval` (there "PT4H"), not the word FULL; the Python
  // SDK parses `interval` as an ISO-8601 duration.
  it('interval=FULL answers the real span as an ISO-8601 duration', async () => {
    emulator.clock.advance(5 * 60_000); // the running VM's reporter posts a few samples
    const to = emulator.clock.now();
    const from = new Date(to.getTime() - 4 * 3_600_000);
    const result = await monitorClient(emulator, { maxRetries: 0 }).metrics.list(vmssId.slice(1), {
      timespan: `${from.toISOString()}/${to.toISOString()}`, interval: 'FULL', metricnames: 'ActiveSessions', metricnamespace: 'DSVMPool', aggregation: 'Maximum',
    });
    expect(result.interval).toBe('PT4H');
  });
});
