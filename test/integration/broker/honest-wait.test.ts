// What a waiting user is told, through the real stack (Azurite + emulator with a manual clock + the local host): a
// scale set stuck in someone else's operation (one event, a status warning, no promise), a promised time that does not
// slide on refresh, a deleted scale set, a failed start with the event's reason, and a page that stops refreshing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUCK_UPDATING_MINUTES } from '../../../src/autoscale/scale-set-busy.js';
import { CONNECT_MAX_WAIT_MINUTES } from '../../../src/http/connect-page.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { emulatorFetch } from '../emulator/emulator-clients.js';
import { as, brokerFixture } from './broker-fixture.js';

let stack: TestStack;
const API = 'api-version=2024-07-01';

beforeAll(async () => {
  // ARM operations nobody polls last 4 simulated hours: "someone else's long operation" on a scale set. The app's own
  // operations are polled, and a poll completes them under the manual clock, so they are not slowed.
  stack = await startTestStack({ emulator: { lroDelaySeconds: 4 * 3600 }, env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});

interface Waiting {
  status: number;
  outcome: string;
  reason: string;
  estimatedReadyAt: string | null;
  estimateMoved: string | null;
  busySince?: string;
  problem: { code: string; message: string; reason?: string } | null;
}

/** Someone else starts an operation on the scale set (a PATCH of its tags) and never waits for it: it stays Updating. */
async function someoneElsesOperation(id: string): Promise<void> {
  const r = await emulatorFetch(stack.emulator, `${id}?${API}`, { method: 'PATCH', body: { tags: { owner: 'another-team' } } });
  expect(r.status).toBe(200);
}

describe('a scale set stuck in an operation', () => {
  it(`writes one SCALE_SET_STUCK event and a status warning after ${STUCK_UPDATING_MINUTES} min Updating, makes no write, and promises nothing`, async () => {
    const b = brokerFixture(stack, 'stuck');
    await b.putPolicy({ seatsPerInstance: 2 });
    await someoneElsesOperation(b.id);
    const since = stack.emulator.clock.now().toISOString();
    const first = (await (await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('kim@example.com'), body: '{}' })).json()) as Waiting;
    expect([first.outcome, first.reason]).toEqual(['waiting', 'no-free-seat']);
    await b.minutes(STUCK_UPDATING_MINUTES + 5);

    const events = await b.events();
    const stuck = events.filter((e) => e.error?.code === 'SCALE_SET_STUCK');
    expect(stuck).toHaveLength(1);
    expect(events.filter((e) => e.outcome === 'failed')).toHaveLength(1);
    expect(stuck[0]!.error!.message).toContain(`scale set Updating since ${since}`);
    expect(stuck[0]!.error!.message).toContain("check the scale set's activity log");
    // It held off: nothing was created for the waiting user while the scale set was busy.
    expect(b.states()).toEqual([]);
    expect(stack.emulator.compute.instances(b.id)).toHaveLength(0);

    const status = (await (await b.api(`pools/${b.pool}`)).json()) as { provisioningState: string; warnings: string[] };
    expect(status.provisioningState).toBe('Updating');
    expect(status.warnings.filter((w) => w.startsWith(`scale set Updating since ${since}`))).toHaveLength(1);

    const r = await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('kim@example.com'), body: '{}' });
    const again = (await r.json()) as Waiting;
    expect(r.status).toBe(503);
    expect([again.reason, again.estimatedReadyAt, again.busySince]).toEqual(['scale-set-stuck', null, since]);

    const html = await (await b.api(`pools/${b.pool}/connect`, { as: as('kim@example.com') })).text();
    expect(html).toContain("The pool's scale set is stuck in an operation");
    expect(html).toContain(`since <span id="busy-since">${since}</span>`);
    expect(html).toContain('activity log');
    expect(html).not.toContain('id="countdown"');
    expect(html).not.toContain('<script>');
    // Still looking (the operation may end), within the page's bound.
    expect(html).toMatch(/<meta http-equiv="refresh"/);
    // Still one event, however many people looked.
    expect((await b.events()).filter((e) => e.error?.code === 'SCALE_SET_STUCK')).toHaveLength(1);
    await b.putPolicy({ enabled: false });
  });
});

describe('the promised time', () => {
  it('does not move when the page is refreshed across simulated minutes, and the page says when it is late', async () => {
    const b = brokerFixture(stack, 'promise');
    await b.putPolicy({ seatsPerInstance: 2 });
    // The scale set is busy (not yet stuck): autoscale holds off, the user waits with a promise.
    await someoneElsesOperation(b.id);
    const ask = async () => (await (await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('lee@example.com'), body: '{}' })).json()) as Waiting;
    const page = async () => (await (await b.api(`pools/${b.pool}/connect`, { as: as('lee@example.com') })).text()).match(/data-ready-at="([^"]+)"/)?.[1];
    const first = await ask();
    expect(first.reason).toBe('no-free-seat');
    const promised = first.estimatedReadyAt;
    expect(promised).toMatch(/^\d{4}-/);
    const seen: (string | null | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      await b.minutes(1);
      seen.push((await ask()).estimatedReadyAt, await page());
    }
    expect(seen).toEqual(Array(8).fill(promised));
    await b.minutes(3);
    const late = await (await b.api(`pools/${b.pool}/connect`, { as: as('lee@example.com') })).text();
    expect(late).toContain(`data-ready-at="${promised}"`);
    expect(late).toContain('It was expected by now and is late.');
    expect(late).not.toContain('id="countdown"');
    await b.putPolicy({ enabled: false });
  });
});

describe('a deleted scale set', () => {
  it("says the pool's scale set is gone, promises nothing and tells who was told", async () => {
    const b = brokerFixture(stack, 'gone-target');
    const gone = b.id.replace(/gone-target$/, 'deleted-set');
    const put = await b.api(`pools/${b.pool}/policy`, { method: 'PUT', as: { user: 'admin@example.com', roles: ['DsvmPool.Admin'] }, body: JSON.stringify({ kind: 'vmss', target: gone }) });
    expect(put.status).toBe(200);
    const html = await (await b.api(`pools/${b.pool}/connect`, { as: as('max@example.com') })).text();
    expect(html).toContain("This pool's scale set is gone");
    expect(html).toContain('The admin was told: NOT_FOUND in the pool');
    expect(html).not.toContain('id="countdown"');
    expect(html).not.toMatch(/<meta http-equiv="refresh"/);
    await b.api(`pools/${b.pool}/policy`, { method: 'PUT', as: { user: 'admin@example.com', roles: ['DsvmPool.Admin'] }, body: JSON.stringify({ kind: 'vmss', target: gone, enabled: false }) });
  });
});

describe('a failed start', () => {
  it("says starting failed, repeats the event's reason, and promises no time", async () => {
    const b = brokerFixture(stack, 'start-fails', 1);
    await b.putPolicy({ seatsPerInstance: 2, maxDeallocated: 1 });
    await b.minutes(5, { tick: false }); // VM 0 boots
    // Someone deallocates VM 0 (and waits for it): the pool has one VM to start.
    const off = await emulatorFetch(stack.emulator, `${b.id}/deallocate?${API}`, { method: 'POST', body: { instanceIds: ['0'] } });
    expect(off.status).toBe(202);
    expect((await emulatorFetch(stack.emulator, off.headers.get('azure-asyncoperation')!)).status).toBe(200);
    await b.minutes(3, { tick: false });
    expect(b.states()).toEqual(['0:deallocated']);
    const rule = stack.emulator.faults.add({ operation: 'compute.vmss.start', kind: 'lro-failed', code: 'AllocationFailed', message: 'Allocation failed. We do not have sufficient capacity for the requested VM size in this region.' });
    try {
      // The connect starts VM 0: Azure accepts the start, which then fails; the next evaluation finds it did not
      // take effect and records that as its failure.
      await (await b.api(`pools/${b.pool}/connect`, { as: as('nia@example.com') })).text();
      await b.minute();
      const html = await (await b.api(`pools/${b.pool}/connect`, { as: as('nia@example.com') })).text();
      const failed = (await b.events()).find((e) => e.outcome === 'failed');
      expect(failed?.error?.code).toBe('ARM_LRO_FAILED');
      expect(html).toContain('<h1 id="headline">Starting a VM has failed</h1>');
      expect(html).toContain('Azure accepted start 0 and it did not take effect');
      expect(html).toContain(`The admin was told, in the pool's event log (GET /api/pools/${b.pool}/events): “${failed!.reason}”`);
      expect(html).not.toContain('id="countdown"');
      const json = (await (await b.api(`pools/${b.pool}/sessions`, { method: 'POST', as: as('nia@example.com'), body: '{}' })).json()) as Waiting;
      expect(json.problem?.reason).toBe(failed!.reason);
    } finally {
      stack.emulator.faults.remove(rule);
    }
    await b.putPolicy({ enabled: false });
  });
});

describe('the waiting page', () => {
  it(`stops refreshing after ${CONNECT_MAX_WAIT_MINUTES} real minutes and offers a retry link`, async () => {
    const b = brokerFixture(stack, 'patience');
    await b.putPolicy({ maxInstances: 1, seatsPerInstance: 1 });
    const path = `pools/${b.pool}/connect`;
    const fresh = await (await b.api(path, { as: as('uma@example.com') })).text();
    const started = fresh.match(/url=[^"]*started=(\d+)/)?.[1];
    expect(Number(started)).toBeGreaterThan(Date.now() - 60_000);
    const old = Date.now() - (CONNECT_MAX_WAIT_MINUTES + 1) * 60_000;
    const html = await (await b.api(`${path}?started=${old}`, { as: as('uma@example.com') })).text();
    expect(html).toContain(`This page has stopped refreshing after ${CONNECT_MAX_WAIT_MINUTES} minutes.`);
    expect(html).not.toMatch(/<meta http-equiv="refresh"/);
    expect(html).not.toContain('<script>');
    expect(html).toContain(`<a id="retry" href="/api/pools/${b.pool}/connect">`);
    await b.putPolicy({ enabled: false });
  });
});
