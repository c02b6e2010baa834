// A wake or connect answers a person: it returns once Azure accepted the scale-out or start, not when the VM is up.
// In Azure (and the emulator) the operation ends when the VM has booted (minutes), far past DSVMPOOL_LRO_WAIT_SECONDS;
// the evaluation records it as still running and the next tick observes it, without doing it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  // A wait bound far longer than the answer may take: before the fix a wake waited all of it.
  stack = await startTestStack({ env: { DSVMPOOL_LRO_WAIT_SECONDS: '30' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('wake and connect while Azure brings the VM up', () => {
  it('POST /wake answers 202 as soon as the scale-out is accepted; the next ticks observe it and create nothing more', async () => {
    const p = poolFixture(stack, 'wake-fast');
    await p.putPolicy({});
    const started = Date.now();
    const r = await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
    expect(r.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await r.json()).toMatchObject({ ready: false, status: 'creating a new VM' });
    expect(p.states()).toEqual(['0:creating']);
    const [evaluation] = (await p.events()).filter((e) => e.kind !== 'wake');
    expect(evaluation).toMatchObject({ trigger: 'wake', outcome: 'done', direction: 'out', steps: ['setCapacity 1 (still running)'] });
    // The scale set is Updating until the VM has booted (180 s): the ticks meanwhile hold and never add a VM.
    await p.minutes(4);
    expect(p.states()).toEqual(['0:running']);
    expect(stack.emulator.calls({ operation: 'compute.vmss.update' })).toBe(1);
  });

  it('GET /connect shows the waiting page at once while the VM is created, and redirects once it runs', async () => {
    const p = poolFixture(stack, 'connect-fast');
    await p.putPolicy({ connectUrl: 'https://hub.example.com/' });
    const started = Date.now();
    const waiting = await p.api(`pools/${p.pool}/connect`);
    expect([waiting.status, Date.now() - started < 15_000]).toEqual([200, true]);
    await p.minutes(4);
    const ready = await p.api(`pools/${p.pool}/connect`);
    expect([ready.status, ready.headers.get('location')]).toEqual([302, 'https://hub.example.com/']);
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
  });
});
