// Drain before scale-in end to end: the real app in the local host drains VMs through Run Command against the
// emulator. A user who lands on an idle VM in the minute before its removal is not in the metric yet (the emulator
// posts a minute's sample at its end); the drain counts that user on the VM and keeps it.
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

/** Two VMs idle past the window; then, within the current minute, a user lands on VM 1 and the timer fires. */
async function lateUserAtScaleIn(pool: string, drainBeforeScaleIn: boolean) {
  const p = poolFixture(stack, pool, 2);
  await p.putPolicy({ idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 0, spareSeats: 0, maxDeallocated: 10, drainBeforeScaleIn });
  await p.minutes(12, { tick: false });
  stack.emulator.compute.setSessions(p.id, '1', { ssh: 1 });
  await p.tick();
  return p;
}

describe('drain before scale-in over the emulator', () => {
  it('keeps a VM whose session the metric has not shown yet; 0 sessions killed', async () => {
    const p = await lateUserAtScaleIn('drain-on', true);
    expect(p.states()).toEqual(['0:deallocating', '1:running']);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
    const [event] = await p.events();
    // The deallocation ends when VM 0 is deallocated (30 s, as in Azure), after the tick's wait: recorded as still running.
    expect(event).toMatchObject({ outcome: 'done', direction: 'in', steps: ['drain 0,1 (kept 1)', 'deallocate 0 (still running)'], plan: { deallocate: ['0', '1'] } });
    expect(event!.reason).toContain('VM 1 had 1 ssh session the metric had not shown yet');
    // Undrained: the VM takes new users again, and once the metric shows the session it is protected, not removed.
    expect(stack.emulator.compute.instances(p.id).find((i) => i.instanceId === '1')!.drained).toBe(false);
    await p.minutes(3);
    expect(p.states()).toEqual(['0:deallocated', '1:running']);
    expect(stack.emulator.compute.instances(p.id)[1]!.protectFromScaleIn).toBe(true);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
  });

  it('without the drain (drainBeforeScaleIn false) the same late user is killed', async () => {
    const runCommands = stack.emulator.calls({ operation: 'compute.vmssvm.runCommand' });
    const p = await lateUserAtScaleIn('drain-off', false);
    expect(p.states()).toEqual(['0:deallocating', '1:deallocating']);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(1);
    expect(stack.emulator.calls({ operation: 'compute.vmssvm.runCommand' })).toBe(runCommands);
  });

  it('keeps the VM when Run Command fails, and removes it once a drain answers 0', async () => {
    const p = poolFixture(stack, 'drain-fault', 1);
    await p.putPolicy({ idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 0, spareSeats: 0, maxDeallocated: 10 });
    await p.minutes(12, { tick: false });
    stack.emulator.faults.add({ operation: 'compute.vmssvm.runCommand', kind: 'status', status: 503, count: 2 });
    await p.tick();
    expect(p.states()).toEqual(['0:running']);
    expect((await p.events())[0]!.reason).toContain('VM 0 could not be drained (ARM_UNAVAILABLE)');
    await p.minutes(1);
    expect(p.states()).toEqual(['0:deallocating']);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
  });

  it.each([
    ['409 (a concurrent operation)', { kind: 'status', status: 409 }, 'ARM_CONFLICT'],
    ['429', { kind: 'status', status: 429 }, 'ARM_THROTTLED'],
  ] as const)('undrains the VM when the deallocate after its drain fails with %s', async (_name, fault, code) => {
    const p = poolFixture(stack, `drain-then-fail-${code.toLowerCase().replace(/_/g, '-')}`, 1);
    await p.putPolicy({ idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 0, spareSeats: 0, maxDeallocated: 10 });
    await p.minutes(12, { tick: false });
    stack.emulator.faults.add({ operation: 'compute.vmss.deallocate', count: 1, ...fault });
    await p.tick();
    const [event] = await p.events();
    expect(event).toMatchObject({ outcome: 'failed', error: { code }, steps: ['drain 0', 'undrain 0 (removal failed)'] });
    expect(p.states()).toEqual(['0:running']);
    // The VM takes new sessions again: /connect may send people there.
    expect(stack.emulator.compute.instances(p.id)[0]!.drained).toBe(false);
    // Every tick evaluates every pool: this one must not take the next case's fault.
    await p.putPolicy({ enabled: false });
  });

  it('undrains the VM on the next tick when Azure accepted the deallocate and the operation then failed', async () => {
    const p = poolFixture(stack, 'drain-then-accepted-failed', 1);
    // The scale-in cooldown keeps the next tick from removing the VM again: it must undrain it instead.
    await p.putPolicy({ idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 10, spareSeats: 0, maxDeallocated: 10 });
    await p.minutes(12, { tick: false });
    stack.emulator.faults.add({ operation: 'compute.vmss.deallocate', count: 1, kind: 'lro-failed' });
    await p.tick();
    // Accepted: the tick returns before the operation ends, so the VM stays drained while the scale set is Updating.
    const [first] = await p.events();
    expect(first).toMatchObject({ outcome: 'done', steps: ['drain 0', 'deallocate 0 (still running)'], pending: ['deallocate 0'], drained: ['0'] });
    expect(stack.emulator.compute.instances(p.id)[0]!.drained).toBe(true);
    // The operation has failed by the next tick: the VM still runs, so it is undrained and the event says how it ended.
    await p.minutes(1);
    const [next] = await p.events();
    expect(next).toMatchObject({ settled: ['deallocate 0: VM 0 running (did not take effect)'], steps: ['undrain 0 (left drained by an earlier removal that did not happen)'], drained: [] });
    expect(p.states()).toEqual(['0:running']);
    expect(stack.emulator.compute.instances(p.id)[0]!.drained).toBe(false);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
    await p.putPolicy({ enabled: false });
  });
});
