// The emulator's load balancer against Azure's contract for per-VM inbound NAT ports, and the product adapter
// (src/azure/nat-endpoints.ts) reading it. Wire shapes from azure-rest-api-specs, Microsoft.Network stable/2025-03-01:
// example QueryInboundNatRulePortMapping.json (operationId LoadBalancers_ListInboundNatRulePortMappings): POST
// …/loadBalancers/{lb}/backendAddressPools/{pool}/queryInboundNatRulePortMapping with a body naming the backend
// address, answer 200 { inboundNatRulePortMappings: [ { backendPort, frontendPort, inboundNatRuleName, protocol } ] }.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNatEndpointReader } from '../../../src/azure/nat-endpoints.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient, emulatorFetch, SUBSCRIPTION } from './emulator-clients.js';

const RG = 'rg-net';
const LB = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/loadBalancers/lb-pool`;
const ipConfiguration = (vmssId: string, instanceId: string) => `${vmssId}/virtualMachines/${instanceId}/networkInterfaces/nic/ipConfigurations/ipconfig`;
const query = (e: Emulator, body: unknown) => emulatorFetch(e, `${LB}/backendAddressPools/pool/queryInboundNatRulePortMapping?api-version=2025-03-01`, { method: 'POST', body });

let emulator: Emulator;
let vmssId: string;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, bootSeconds: 60 });
  dir = mkdtempSync(join(tmpdir(), 'dsvm-net-'));
  writeFileSync(join(dir, 'ca.pem'), emulator.caPem);
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.reset();
  vmssId = emulator.compute.createScaleSet({ resourceGroup: RG, name: 'pool', capacity: 2, startRunning: true });
});

describe('the emulated load balancer (Microsoft.Network)', () => {
  it('answers queryInboundNatRulePortMapping in the spec example\'s shape, one port per rule, within each rule\'s range', async () => {
    const r = await query(emulator, { ipConfiguration: { id: ipConfiguration(vmssId, '1') } });
    expect(r.status).toBe(200);
    const mappings = (r.body as { inboundNatRulePortMappings: Record<string, unknown>[] }).inboundNatRulePortMappings;
    expect(mappings.map((m) => Object.keys(m).sort())).toEqual([
      ['backendPort', 'frontendPort', 'inboundNatRuleName', 'protocol'],
      ['backendPort', 'frontendPort', 'inboundNatRuleName', 'protocol'],
    ]);
    const byRule = Object.fromEntries(mappings.map((m) => [m.inboundNatRuleName, m]));
    expect(byRule['nat-ssh']).toMatchObject({ protocol: 'Tcp', backendPort: 22 });
    expect(byRule['nat-jupyter']).toMatchObject({ protocol: 'Tcp', backendPort: 8000 });
    expect(byRule['nat-ssh']!.frontendPort).toBeGreaterThanOrEqual(50000);
    expect(byRule['nat-ssh']!.frontendPort).toBeLessThanOrEqual(50999);
    expect(byRule['nat-jupyter']!.frontendPort).toBeGreaterThanOrEqual(51000);
    expect(byRule['nat-jupyter']!.frontendPort).toBeLessThanOrEqual(51999);
  });

  it('gives each instance its own port, the same on every ask, and reuses a port once its instance is gone', async () => {
    const port = async (id: string) =>
      ((await query(emulator, { ipConfiguration: { id: ipConfiguration(vmssId, id) } })).body as { inboundNatRulePortMappings: { inboundNatRuleName: string; frontendPort: number }[] })
        .inboundNatRulePortMappings.find((m) => m.inboundNatRuleName === 'nat-ssh')!.frontendPort;
    const one = await port('1');
    const zero = await port('0');
    expect(one).not.toBe(zero);
    expect(await port('1')).toBe(one);
    // Operations end when the VMs reach their new state (as in Azure): begin, move the clock, then poll to the end.
    const deleting = await computeClient(emulator).virtualMachineScaleSets.beginDeleteInstances(RG, 'pool', { instanceIds: ['1'] }, { updateIntervalInMs: 10 });
    emulator.clock.advance(600_000);
    await deleting.pollUntilDone();
    const growing = await computeClient(emulator).virtualMachineScaleSets.beginUpdate(RG, 'pool', { sku: { capacity: 2 } }, { updateIntervalInMs: 10 });
    emulator.clock.advance(600_000);
    await growing.pollUntilDone();
    const newest = emulator.compute.instances(vmssId).map((i) => i.instanceId).find((id) => id !== '0')!;
    expect(newest).not.toBe('1');
    expect(await port(newest)).toBe(one); // the freed slot
    expect(await port('0')).toBe(zero);
  });

  it('refuses an address that is not in the backend pool, and a query with no address, as ARM does (400)', async () => {
    expect((await query(emulator, { ipConfiguration: { id: ipConfiguration(vmssId, '7') } })).status).toBe(400);
    const empty = await query(emulator, {});
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { code: 'InvalidRequestFormat' } });
    expect((await emulatorFetch(emulator, `${LB.replace('lb-pool', 'lb-other')}?api-version=2025-03-01`)).status).toBe(404);
  });

  it('serves the load balancer with the NAT rules network.bicep declares, and the scale set names its backend pool', async () => {
    const lb = (await emulatorFetch(emulator, `${LB}?api-version=2025-03-01`)).body as { properties: { inboundNatRules: { name: string; properties: Record<string, unknown> }[] } };
    expect(lb.properties.inboundNatRules.map((r) => [r.name, r.properties.frontendPortRangeStart, r.properties.frontendPortRangeEnd, r.properties.backendPort])).toEqual([
      ['nat-ssh', 50000, 50999, 22],
      ['nat-jupyter', 51000, 51999, 8000],
    ]);
    const vmss = await computeClient(emulator).virtualMachineScaleSets.get(RG, 'pool');
    const pools = vmss.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations?.[0]?.ipConfigurations?.[0]?.loadBalancerBackendAddressPools;
    expect(pools?.map((p) => p.id)).toEqual([`${LB}/backendAddressPools/pool`]);
  });
});

describe('the product adapter (createNatEndpointReader) against the emulator', () => {
  const reader = () => createNatEndpointReader({ armEndpoint: emulator.url, credential: 'emulator', tlsCaFile: join(dir, 'ca.pem'), armMaxRetries: 0 });

  it('maps each instance to the frontend address and its NAT port per session kind', async () => {
    const endpoints = await reader().read(vmssId, ['0', '1']);
    const truth = async (id: string) => {
      const m = ((await query(emulator, { ipConfiguration: { id: ipConfiguration(vmssId, id) } })).body as { inboundNatRulePortMappings: { inboundNatRuleName: string; frontendPort: number }[] }).inboundNatRulePortMappings;
      return { ssh: m.find((x) => x.inboundNatRuleName === 'nat-ssh')!.frontendPort, jupyter: m.find((x) => x.inboundNatRuleName === 'nat-jupyter')!.frontendPort };
    };
    for (const id of ['0', '1']) {
      const want = await truth(id);
      expect(endpoints.get(id)).toEqual({ ssh: { address: '127.0.0.1', port: want.ssh }, jupyter: { address: '127.0.0.1', port: want.jupyter } });
    }
  });

  it('follows the long-running form of the query (202 + Location, the result at that URL)', async () => {
    emulator.network.setPortMappingsAsync(true);
    const first = await query(emulator, { ipConfiguration: { id: ipConfiguration(vmssId, '0') } });
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toMatch(/\/providers\/Microsoft\.Network\/locations\/westeurope\/operationResults\//);
    const endpoints = await reader().read(vmssId, ['1']);
    expect(endpoints.get('1')?.ssh?.port).toBeGreaterThanOrEqual(50000);
    expect(emulator.calls({ operation: 'network.operationResult.get' })).toBe(1);
  });

  it('classifies a throttled Network call (429) as ARM_THROTTLED', async () => {
    emulator.faults.add({ operation: 'network.loadBalancer.queryInboundNatRulePortMapping', kind: 'status', status: 429, count: 1 });
    await expect(reader().read(vmssId, ['0'])).rejects.toMatchObject({ code: 'ARM_THROTTLED' });
  });
});
