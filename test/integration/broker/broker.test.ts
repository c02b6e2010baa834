// The connection broker end to end: the real app in the local host, Azurite, the emulator with a manual clock, and
// simulated users who connect where the broker places them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { authHeaders, USER_ROLE } from '../../support/identity.js';
import { as, brokerFixture, type Answer } from './broker-fixture.js';

let stack: TestStack;
const MINUTE = 60_000;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});
/** Mints each person's token beforehand: their browsers hold one already when they press "connect". */
const signedIn = (users: string[]) => Promise.all(users.map((u) => authHeaders(stack, u, [USER_ROLE])));

describe('the connection broker', () => {
  it('a 30-person surge on a pool at zero has seats for all one boot after the last arrival (+1 tick), 4 to a VM', async () => {
    const b = brokerFixture(stack, 'surge');
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 10, spareSeats: 0, scaleOutCooldownMinutes: 2, maxScaleOutStep: 5 });
    const start = stack.emulator.clock.now().getTime();
    const placed = new Map<string, Answer>();
    const waiting = new Set<string>();
    const users = Array.from({ length: 30 }, (_, i) => `u${i}@example.com`);
    let seatedAt: number | undefined;
    for (let minute = 0; minute < 12 && seatedAt === undefined; minute++) {
      // 10 arrive at once in each of the first 3 minutes; everyone still waiting asks again.
      const asking = [...waiting, ...(minute < 3 ? users.slice(minute * 10, minute * 10 + 10) : [])];
      const answers = await Promise.all(asking.map((u) => b.ask(u)));
      answers.forEach((a, i) => {
        const u = asking[i]!;
        expect([200, 202]).toContain(a.status);
        if (a.outcome === 'placed') {
          placed.set(u, a);
          waiting.delete(u);
        } else waiting.add(u);
      });
      b.connectPlaced(placed);
      const seating = b.seating(4);
      expect(seating.overWhileRoom, JSON.stringify(seating.perVm)).toBe(false);
      const seated = Object.values(seating.perVm).reduce((n, x) => n + x, 0);
      if (seated === 30) seatedAt = stack.emulator.clock.now().getTime();
      else await b.minute();
    }
    const lastArrival = start + 2 * MINUTE;
    expect(seatedAt, 'everyone seated').toBeDefined();
    // Boot is 180 s in the emulator: one boot after the last arrival, plus one tick at most.
    expect(seatedAt! - lastArrival).toBeLessThanOrEqual(180_000 + MINUTE);
    expect(Object.values(b.seating(4).perVm).every((n) => n <= 4)).toBe(true);
    expect(stack.emulator.compute.killedSessions(b.id)).toBe(0);
  });

  it('60 concurrent connects on a running pool all get a placement, none is told to wait', async () => {
    const b = brokerFixture(stack, 'crowd', 1);
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 20, spareSeats: 0 });
    await b.minutes(4, { tick: false });
    await b.minute(); // the first view
    const users = Array.from({ length: 60 }, (_, i) => `c${i}@example.com`);
    await signedIn(users); // 60 people already signed in press "connect" at the same moment
    const answers = await Promise.all(users.map((u) => b.ask(u)));
    // One evaluation counts them all (its settling window), so each holds a seat: on VM 0, or on a VM being created.
    expect(answers.filter((a) => !(a.status === 200 && a.outcome === 'placed')).map((a) => `${a.status} ${a.outcome} ${a.reason}`)).toEqual([]);
    const placed = new Map(users.map((u, i) => [u, answers[i]!]));
    for (let m = 0; m < 8 && placed.size > 0; m++) {
      await b.minute();
      b.connectPlaced(placed);
    }
    expect([...placed.keys()], 'everyone on the VM named in their answer').toEqual([]);
    const seating = b.seating(4);
    expect(Object.values(seating.perVm).reduce((n, x) => n + x, 0)).toBe(60);
    expect(Math.max(...Object.values(seating.perVm))).toBeLessThanOrEqual(4);
    expect(Object.keys(seating.perVm)).toHaveLength(15);
    expect(stack.emulator.compute.killedSessions(b.id)).toBe(0);
  }, 240_000); // 60 people racing for the same seats rows on a shared 2-core machine

  it('people beyond maxInstances are told to wait, each with a place of their own in the queue', async () => {
    const b = brokerFixture(stack, 'full', 1);
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 3, spareSeats: 0 });
    await b.minutes(4, { tick: false });
    await b.minute();
    const users = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}@example.com`);
    await signedIn(users);
    const answers = await Promise.all(users.map((u) => b.ask(u)));
    expect(answers.filter((a) => a.outcome === 'placed')).toHaveLength(12);
    const waiting = users.filter((_, i) => answers[i]!.outcome === 'waiting');
    expect(waiting.map((u) => answers[users.indexOf(u)]).map((a) => `${a!.status} ${a!.reason}`)).toEqual(Array(8).fill('202 pool-at-maximum'));
    // Asked again, the 8 left hold places 1 to 8.
    const again = await Promise.all(waiting.map((u) => b.ask(u)));
    expect(again.map((a) => a.position).sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stack.emulator.compute.instances(b.id)).toHaveLength(3);
  }, 120_000);

  it('a returning user goes back to their VM (affinity beats depth-first)', async () => {
    const b = brokerFixture(stack, 'home', 2);
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 4, idleMinutesBeforeScaleIn: 60 });
    await b.minutes(4, { tick: false });
    stack.emulator.compute.setSessions(b.id, '0', { jupyter: 3 });
    stack.emulator.compute.openSession(b.id, '1', 'rita@example.com', 'jupyter');
    await b.minute();
    await b.minute(); // a second report and evaluation: one slow evaluation on a loaded machine must not decide this
    const back = await b.ask('rita@example.com');
    expect(back).toMatchObject({ status: 200, outcome: 'placed', instanceId: '1', by: 'affinity' });
    // Someone new goes depth-first: the fuller VM 0.
    expect(await b.ask('newbie@example.com')).toMatchObject({ outcome: 'placed', instanceId: '0', by: 'depth-first' });
    // Ssh to the same person's VM too.
    expect(await b.ask('rita@example.com', 'ssh')).toMatchObject({ outcome: 'placed', instanceId: '1' });
  });

  it('a draining VM receives nobody and its users keep their connections', async () => {
    const b = brokerFixture(stack, 'drain', 2);
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 4, idleMinutesBeforeScaleIn: 60 });
    await b.minutes(4, { tick: false });
    for (const u of ['d1', 'd2', 'd3']) stack.emulator.compute.openSession(b.id, '0', `${u}@example.com`, 'jupyter');
    stack.emulator.compute.setDrained(b.id, '0', true);
    await b.minute();
    const answers = await Promise.all(['n1', 'n2', 'n3', 'n4', 'n5'].map((u) => b.ask(`${u}@example.com`)));
    expect(answers.map((a) => a.instanceId)).not.toContain('0');
    // A user of the drained VM who asks again is not sent back onto it either.
    expect((await b.ask('d1@example.com')).instanceId).not.toBe('0');
    await b.minute();
    const vm0 = stack.emulator.compute.instances(b.id).find((i) => i.instanceId === '0')!;
    expect(vm0).toMatchObject({ state: 'running', sessions: { jupyter: 3 } });
    expect(() => stack.emulator.compute.openSession(b.id, '0', 'sneak@example.com', 'jupyter')).toThrow(/drained/);
    expect(stack.emulator.compute.killedSessions(b.id)).toBe(0);
  });

  it('a VM with unknown sessions triggers a scale-out', async () => {
    const b = brokerFixture(stack, 'blind', 1);
    await b.putPolicy({ seatsPerInstance: 4, maxInstances: 4, spareSeats: 1, idleMinutesBeforeScaleIn: 60 });
    await b.minutes(4, { tick: false });
    stack.emulator.compute.setSessions(b.id, '0', { jupyter: 2 });
    await b.minute();
    stack.emulator.compute.setReporting(b.id, '0', false);
    stack.emulator.compute.setSessions(b.id, '0', { jupyter: 12 });
    for (let m = 0; m < 8; m++) await b.minute();
    expect(stack.emulator.compute.instances(b.id).length).toBeGreaterThanOrEqual(2);
    expect((await b.events()).some((e) => /unknown sessions counted full/.test(e.reason))).toBe(true);
    expect(stack.emulator.compute.killedSessions(b.id)).toBe(0);
  });

  it('GET /connect sends a placed user with a running VM to connectUrl, and answers problem+json for a bad kind', async () => {
    const b = brokerFixture(stack, 'link', 1);
    await b.putPolicy({ seatsPerInstance: 4, connectUrl: 'https://hub.example.com/' });
    await b.minutes(4, { tick: false });
    await b.minute();
    const r = await b.api(`pools/${b.pool}/connect`, { as: as('walt@example.com') });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('https://hub.example.com/');
    const bad = await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('walt@example.com'), body: JSON.stringify({ kind: 'rdp' }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
