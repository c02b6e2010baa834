// Health of a pool through the real stack: VMs stopped but still allocated are deallocated after the policy's grace,
// and what GET /api/pools/{pool} and /connect answer when Azure is slow or gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { emulatorFetch } from '../emulator/emulator-clients.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a VM stopped but still allocated', () => {
  it('is deallocated once stopped for deallocateStoppedAfterMinutes, and the event says why', async () => {
    const p = poolFixture(stack, 'stopped-vm', 2);
    // VM 1 has no session: a 30-min idle window keeps it from being scaled in before it is powered off at minute 8.
    await p.putPolicy({ minInstances: 1, idleMinutesBeforeScaleIn: 30, deallocateStoppedAfterMinutes: 10, scaleInCooldownMinutes: 0, maxDeallocated: 5 });
    await p.minutes(6, { tick: false }); // both VMs boot
    stack.emulator.compute.setSessions(p.id, '0', { ssh: 1 });
    await p.minutes(2);
    // Someone runs `sudo poweroff` on VM 1 (here: the scale set's power-off call on that instance).
    const off = await emulatorFetch(stack.emulator, `${p.id}/poweroff?api-version=2026-04-01`, { method: 'POST', body: { instanceIds: ['1'] } });
    expect(off.status).toBe(202);
    await p.minutes(5);
    expect(p.states()).toEqual(['0:running', '1:stopped']);
    const status = (await (await p.api(`pools/${p.pool}`)).json()) as { warnings: string[] };
    expect(status.warnings).toContain('VM 1: stopped but not deallocated, so still billed for compute; deallocated once stopped for 10 min');
    await p.minutes(6);
    expect(p.states()[1]).toMatch(/^1:deallocat/);
    const parked = (await p.events()).find((e) => e.plan?.deallocate.includes('1'));
    expect(parked?.reason).toContain('deallocating stopped 1 (stopped but still allocated for 10 min or more, so still billed)');
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
    await p.putPolicy({ enabled: false });
  });
});

describe('a broken pool', () => {
  it('writes one failed event while it fails the same way, not one a minute', async () => {
    const p = poolFixture(stack, 'broken-pool');
    await p.putPolicy({ minInstances: 1 });
    const fault = stack.emulator.faults.add({ operation: 'compute.vmssvm.list', kind: 'status', status: 503 });
    await p.minutes(5);
    stack.emulator.faults.remove(fault);
    const events = await p.events();
    expect(events.map((e) => [e.outcome, e.error?.code])).toEqual([['failed', 'ARM_UNAVAILABLE']]);
    await p.putPolicy({ enabled: false });
  });
});

describe('status and connect when Azure is down or a VM already runs', () => {
  it('GET /api/pools/{pool} answers 503 with Retry-After while Azure is unavailable; GET /api/pools keeps the error per pool', async () => {
    const p = poolFixture(stack, 'azure-down');
    await p.putPolicy({ enabled: false });
    const fault = stack.emulator.faults.add({ operation: 'compute.vmss.get', kind: 'status', status: 503 });
    try {
      const one = await p.api(`pools/${p.pool}`);
      expect(one.status).toBe(503);
      expect(one.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(one.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await one.json()).toMatchObject({ code: 'ARM_UNAVAILABLE' });
      const all = await p.api('pools');
      expect(all.status).toBe(200);
      const items = ((await all.json()) as { items: { pool: string; error?: { code: string } }[] }).items;
      expect(items.find((i) => i.pool === p.pool)?.error?.code).toBe('ARM_UNAVAILABLE');
    } finally {
      stack.emulator.faults.remove(fault);
    }
  });

  it('/connect answers 302 at once when a VM runs, and writes no wake event (the hold is not restarted)', async () => {
    const p = poolFixture(stack, 'connect-ready', 1);
    await p.putPolicy({ minInstances: 1, connectUrl: 'https://hub.example.org/hub/' });
    await p.minutes(6);
    expect(p.states()).toEqual(['0:running']);
    const before = (await p.events()).length;
    for (let i = 0; i < 3; i++) {
      const r = await p.api(`pools/${p.pool}/connect`);
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('https://hub.example.org/hub/');
    }
    const events = await p.events();
    expect(events.filter((e) => e.kind === 'wake')).toEqual([]);
    expect(events).toHaveLength(before);
    await p.putPolicy({ enabled: false });
  });
});

