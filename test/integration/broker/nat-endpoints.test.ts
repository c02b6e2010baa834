// Per-VM addresses end to end: the evaluation reads each VM's inbound NAT ports from the emulator's load balancer
// (queryInboundNatRulePortMapping), keeps them in the pool view, and POST /api/pools/{pool}/sessions answers the
// frontend address and the port of the placed VM for the kind asked; a connect itself makes no ARM call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { emulatorFetch } from '../emulator/emulator-clients.js';
import { as, brokerFixture } from './broker-fixture.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});

/** What the emulator's load balancer maps for an instance: port per rule (the truth the answer must match). */
async function mapped(vmssId: string, instanceId: string): Promise<Record<string, number>> {
  const lb = vmssId.replace(/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)$/, 'Microsoft.Network/loadBalancers/lb-$1');
  const r = await emulatorFetch(stack.emulator, `${lb}/backendAddressPools/pool/queryInboundNatRulePortMapping?api-version=2025-03-01`, {
    method: 'POST', body: { ipConfiguration: { id: `${vmssId}/virtualMachines/${instanceId}/networkInterfaces/nic/ipConfigurations/ipconfig` } },
  });
  expect(r.status).toBe(200);
  const m = (r.body as { inboundNatRulePortMappings: { inboundNatRuleName: string; frontendPort: number }[] }).inboundNatRulePortMappings;
  return Object.fromEntries(m.map((x) => [x.inboundNatRuleName, x.frontendPort]));
}

describe('POST /api/pools/{pool}/sessions answers where to connect', () => {
  it('the load balancer address and the placed VM\'s NAT port, per kind (ssh → nat-ssh, jupyter → nat-jupyter)', async () => {
    const b = brokerFixture(stack, 'natports', 2);
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 4, idleMinutesBeforeScaleIn: 60 });
    await b.minutes(4, { tick: false });
    await b.minute(); // the evaluation that writes the view, with the ports
    const before = stack.emulator.calls({ operation: 'network.*' });
    expect(before).toBeGreaterThan(0);

    const r = await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('nina@example.com'), body: JSON.stringify({ kind: 'ssh' }) });
    expect(r.status).toBe(200);
    const ssh = (await r.json()) as { instanceId: string; endpoint: { address: string; port: number } | null };
    const ports = await mapped(b.id, ssh.instanceId);
    expect(ssh.endpoint).toEqual({ address: '127.0.0.1', port: ports['nat-ssh'] });
    expect(ssh.endpoint!.port).toBeGreaterThanOrEqual(50000);

    const j = await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('nina@example.com'), body: JSON.stringify({ kind: 'jupyter' }) });
    const jupyter = (await j.json()) as { instanceId: string; endpoint: { address: string; port: number } | null };
    expect(jupyter.instanceId).toBe(ssh.instanceId); // affinity
    expect(jupyter.endpoint).toEqual({ address: '127.0.0.1', port: ports['nat-jupyter'] });

    // The connects themselves asked no Network API (the two mapping reads above are this test's own).
    expect(stack.emulator.calls({ operation: 'network.*' }) - before).toBe(1);
    // A steady pool is not asked again at the next evaluation.
    const steady = stack.emulator.calls({ operation: 'network.*' });
    await b.minute();
    expect(stack.emulator.calls({ operation: 'network.*' })).toBe(steady);
  }, 120_000);
});
