// Autoscale end to end in simulated time: the real app in the local host, the real ARM/Monitor SDK clients against
// the emulator, Azurite for policies, events and leases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});

const running = (states: string[]) => states.filter((s) => s.endsWith(':running')).length;

describe('autoscale over the emulator', () => {
  // First, while no other pool exists, so every ARM write in the emulator would be this pool's.
  it('records a dry run and changes nothing', async () => {
    const p = poolFixture(stack, 'lab-e');
    await p.putPolicy({ dryRun: true, minInstances: 2 });
    const writes = () => stack.emulator.calls({ operation: 'compute.vmss.{update,start,deallocate,delete}' }) + stack.emulator.calls({ operation: 'compute.vmssvm.update' });
    const before = writes();
    await p.minutes(3);
    expect(p.states()).toEqual([]);
    expect(writes()).toBe(before);
    const events = await p.events();
    expect(events[0]).toMatchObject({ outcome: 'dry-run', direction: 'out', plan: { newCapacity: 2 } });
  });

  it('goes 0 → N as users arrive with spare seats held, then N → 0 after the idle window with zero killed sessions', async () => {
    const p = poolFixture(stack, 'lab-a');
    expect((await p.putPolicy({ seatsPerInstance: 4, spareSeats: 2, idleMinutesBeforeScaleIn: 20, scaleOutCooldownMinutes: 0, scaleInCooldownMinutes: 5, maxDeallocated: 10 })).status).toBe(200);

    expect((await p.api(`pools/${p.pool}/wake`, { method: 'POST' })).status).toBe(202);
    expect(p.states()).toEqual(['0:creating']);
    await p.minutes(4);
    expect(p.states()).toEqual(['0:running']);

    stack.emulator.compute.setUsers(p.id, 7);
    await p.minutes(2);
    // 7 sessions + 2 spare seats at 4 a VM → 3 VMs.
    expect(stack.emulator.compute.instances(p.id)).toHaveLength(3);
    await p.minutes(4);
    expect(running(p.states())).toBe(3);
    const vms = stack.emulator.compute.instances(p.id).filter((v) => v.state === 'running');
    const sessions = vms.reduce((n, v) => n + v.sessions.jupyter + v.sessions.ssh, 0);
    expect(sessions).toBe(7);
    expect(vms.length * 4 - sessions).toBeGreaterThanOrEqual(2); // the spare seats are there
    const out = (await p.events()).find((e) => e.direction === 'out' && e.trigger === 'timer')!;
    expect(out.reason).toMatch(/7 sessions \+ 2 spare seats need 3 VMs; 1 running or starting; adding 2 new VMs \(capacity 1 → 3\)/);

    stack.emulator.compute.setUsers(p.id, 0);
    await p.minutes(50);
    expect(running(p.states())).toBe(0);
    expect(p.states().every((s) => s.endsWith(':deallocated'))).toBe(true);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
  });

  it('keeps the busy VM while the idle ones go, protected from scale-in', async () => {
    const p = poolFixture(stack, 'lab-b', 3);
    await p.putPolicy({ idleMinutesBeforeScaleIn: 15, scaleInCooldownMinutes: 0, spareSeats: 0, maxDeallocated: 10 });
    await p.minutes(4, { tick: false });
    stack.emulator.compute.setSessions(p.id, '1', { ssh: 1 });
    await p.minutes(25);
    const vms = stack.emulator.compute.instances(p.id);
    expect(vms.map((v) => `${v.instanceId}:${v.state}`)).toEqual(['0:deallocated', '1:running', '2:deallocated']);
    expect(vms.find((v) => v.instanceId === '1')!.protectFromScaleIn).toBe(true);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
  });

  it('restarts deallocated VMs before it creates new ones', async () => {
    const p = poolFixture(stack, 'lab-c', 2);
    await p.putPolicy({ idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 0, maxDeallocated: 10 });
    await p.minutes(4, { tick: false });
    await p.minutes(12);
    expect(p.states()).toEqual(['0:deallocated', '1:deallocated']);
    const updatesBefore = stack.emulator.calls({ operation: 'compute.vmss.update' });
    expect((await p.api(`pools/${p.pool}/wake`, { method: 'POST' })).status).toBe(202);
    expect(p.states()).toEqual(['0:starting', '1:deallocated']);
    expect(stack.emulator.calls({ operation: 'compute.vmss.update' })).toBe(updatesBefore);
  });

  it('warms the pool for a schedule window in its own time zone (Asia/Kolkata, UTC+5:30)', async () => {
    const p = poolFixture(stack, 'lab-d');
    const local = (ms: number) => new Date(stack.emulator.clock.now().getTime() + ms).toLocaleTimeString('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const window = { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: local(5 * 60_000), to: local(125 * 60_000), timeZone: 'Asia/Kolkata', minInstances: 2, name: 'office' };
    expect((await p.putPolicy({ schedules: [window] })).status).toBe(200);
    await p.minutes(3);
    expect(p.states()).toEqual([]);
    await p.minutes(3);
    expect(p.states()).toEqual(['0:creating', '1:creating']);
    const events = await p.events();
    expect(events[0]!.reason).toMatch(/^schedule "office" .* Asia\/Kolkata needs 2 VMs/);
  });

  it('a working day of users coming and going: never kills a session, stays within bounds, ends at zero', async () => {
    const p = poolFixture(stack, 'lab-day');
    await p.putPolicy({ maxInstances: 6, seatsPerInstance: 3, spareSeats: 1, idleMinutesBeforeScaleIn: 15, scaleInCooldownMinutes: 5, scaleOutCooldownMinutes: 1 });
    await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let users = 0;
    let peakActive = 0;
    for (let minute = 0; minute < 240; minute++) {
      // Morning arrivals, afternoon departures, some churn throughout.
      const drift = minute < 120 ? 0.6 : 0.25;
      users = Math.max(0, Math.min(14, users + (random() < drift ? 1 : -1) * (random() < 0.5 ? 1 : 0)));
      if (minute >= 200) users = 0;
      stack.emulator.compute.setUsers(p.id, users);
      await p.minutes(1);
      const active = stack.emulator.compute.instances(p.id).filter((v) => ['creating', 'starting', 'running'].includes(v.state)).length;
      expect(active).toBeLessThanOrEqual(6);
      peakActive = Math.max(peakActive, active);
    }
    expect(peakActive).toBeGreaterThanOrEqual(3);
    await p.minutes(40);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
    expect(running(p.states())).toBe(0);
    const events = await p.events(200);
    expect(events.some((e) => e.direction === 'out')).toBe(true);
    expect(events.some((e) => e.direction === 'in')).toBe(true);
  }, 180_000); // a simulated working day, minute by minute (each evaluation also reads the broker's rows and writes the pool view): 20 s alone, over 60 s when the suite shares 2 cores with other work
});
