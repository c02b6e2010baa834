// The broker's side of an evaluation, through a recording in-memory fake of its stores: before deciding, the seats
// held, the people waiting and the VMs' fresh reports; after acting, the pool view written and the rows of VMs that
// are gone removed (their reservations and their users' names go with them).
import { describe, expect, it } from 'vitest';
import type { Evaluated } from '../../../src/autoscale/seat-broker.port.js';
import type { BrokerStore, PoolPartition } from '../../../src/broker/broker-store.port.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { Reservation, WaitingUser } from '../../../src/broker/reservation.js';
import { createSeatBroker } from '../../../src/broker/seat-broker.js';
import type { VmReport, VmReportStore } from '../../../src/broker/vm-report.js';
import { NOW, observation, policy, TARGET, vm } from '../autoscale/factories.js';

const MIN = 60_000;
const at = (m: number) => new Date(NOW.getTime() + m * MIN).toISOString();
const held = (user: string, o: Partial<Reservation> = {}): Reservation => ({ user, kind: 'jupyter', reservedAt: at(-1), expiresAt: at(9), ...o });
const waiting = (user: string, o: Partial<WaitingUser> = {}): WaitingUser => ({ user, kind: 'jupyter', since: at(-1), expiresAt: at(4), ...o });
const report = (instanceId: string, o: Partial<VmReport> = {}): VmReport => ({ instanceId, reportedAt: at(-1), sessions: [], counts: { jupyter: 0, ssh: 0 }, drained: false, ...o });
const viewVm = (id: string, o: Partial<ViewInstance> = {}): ViewInstance => ({
  instanceId: id, state: 'running', sessions: { known: true, count: 0, users: [] }, draining: false, removing: false, endpoints: {}, ...o,
});
const view = (instances: ViewInstance[], o: Partial<PoolView> = {}): PoolView => ({
  pool: 'pool', writtenAt: at(-1), seatsPerInstance: 2, maxInstances: 5, placement: 'depth-first', reservationMinutes: 10, scaleSet: { provisioningState: 'Succeeded' }, instances, ...o,
});

/** In-memory stores that record every call. */
function fakeStores(partition: PoolPartition, reportRows: VmReport[] = []) {
  const calls: string[] = [];
  const views: PoolView[] = [];
  const store: BrokerStore = {
    read: async (pool) => {
      calls.push(`read ${pool}`);
      return partition;
    },
    writeSeats: async (pool, s) => void calls.push(`writeSeats ${pool} ${s.instanceId}`),
    writeWaiting: async (pool, w) => void calls.push(`writeWaiting ${pool} ${w.user}`),
    removeWaiting: async (pool, user) => void calls.push(`removeWaiting ${pool} ${user}`),
    writeView: async (v) => void views.push(v),
    removeSeats: async (pool, ids) => void calls.push(`removeSeats ${pool} ${ids.join(',')}`),
  };
  const reports: VmReportStore = {
    list: async (scaleSetId) => {
      calls.push(`list ${scaleSetId === TARGET ? 'target' : scaleSetId}`);
      return reportRows;
    },
    remove: async (scaleSetId, ids) => void calls.push(`removeReports ${scaleSetId === TARGET ? 'target' : scaleSetId} ${ids.join(',')}`),
  };
  return { broker: createSeatBroker(store, reports), calls, views };
}

const p = policy({ target: TARGET, seatsPerInstance: 2 });

describe('facts before deciding', () => {
  it('reads the pool partition and the scale set reports once', async () => {
    const { broker, calls } = fakeStores({ seats: [], waiting: [] });
    await broker.facts('pool', p, NOW, {});
    expect(calls.sort()).toEqual(['list target', 'read pool']);
  });

  it('counts the sessions of fresh, complete reports only', async () => {
    const rows = [
      report('0', { counts: { jupyter: 1, ssh: 1 } }),
      report('1', { counts: { jupyter: 2 } }), // could not count SSH
      report('2', { reportedAt: at(-3), counts: { jupyter: 0, ssh: 0 } }), // 3 minutes: still fresh
      report('3', { reportedAt: new Date(NOW.getTime() - 3 * MIN - 1).toISOString(), counts: { jupyter: 4, ssh: 0 } }),
    ];
    const { broker } = fakeStores({ seats: [], waiting: [] }, rows);
    const facts = await broker.facts('pool', p, NOW, {});
    expect(facts.reported).toEqual(new Map([['0', 2], ['2', 0]]));
  });

  it('holds seats until a fresh report names the user, even one that could not count', async () => {
    const partition: PoolPartition = {
      view: view([viewVm('0'), viewVm('1'), viewVm('2', { sessions: { known: true, count: 1, users: [{ user: 'cy', kind: 'jupyter' }] } })]),
      seats: [{ instanceId: '0', reservations: [held('ana')] }, { instanceId: '1', reservations: [held('bo')] }, { instanceId: '2', reservations: [held('cy')] }],
      waiting: [],
    };
    const rows = [
      report('0', { counts: { jupyter: 1 }, sessions: [{ user: 'ana', kind: 'jupyter' }] }),
      report('1', { reportedAt: at(-4), counts: { jupyter: 1, ssh: 0 }, sessions: [{ user: 'bo', kind: 'jupyter' }] }),
    ];
    const { broker } = fakeStores(partition, rows);
    const facts = await broker.facts('pool', p, NOW, {});
    // VM 0: used (fresh report names ana); VM 1: the stale report does not count, the view shows nobody; VM 2: used per the view.
    expect(facts.reserved).toEqual(new Map([['1', 1]]));
  });

  it("hands on the second sessions of fresh reports (a user's sessions past their first), only for VMs that have some", async () => {
    const twice = [{ user: 'ana', kind: 'jupyter' as const }, { user: 'ana', kind: 'ssh' as const }, { user: 'bo', kind: 'jupyter' as const }];
    const rows = [
      report('0', { sessions: twice }),
      report('1', { sessions: [{ user: 'cy', kind: 'jupyter' }] }), // one session each: none shared
      report('2', { sessions: [{ user: 'dan', kind: 'ssh' }, { user: 'dan', kind: 'jupyter' }], counts: { jupyter: 1 } }), // could not count SSH: still named
      report('3', { reportedAt: at(-4), sessions: twice }), // stale
    ];
    const { broker } = fakeStores({ seats: [], waiting: [] }, rows);
    expect((await broker.facts('pool', p, NOW, {})).shared).toEqual(new Map([['0', 1], ['2', 1]]));
  });

  it('counts the people waiting without a seat', async () => {
    const partition: PoolPartition = { seats: [{ instanceId: '0', reservations: [held('ana')] }], waiting: [waiting('ana'), waiting('bo'), waiting('cy', { expiresAt: at(0) })] };
    const { broker } = fakeStores(partition);
    expect((await broker.facts('pool', p, NOW, {})).waiting).toBe(1);
  });

  it('hands on when each running VM was first seen running, from the previous view', async () => {
    const partition: PoolPartition = {
      view: view([viewVm('0', { runningSince: at(-30) }), viewVm('1'), viewVm('2', { state: 'starting', runningSince: at(-60), readyAt: at(1) })]),
      seats: [],
      waiting: [],
    };
    const { broker } = fakeStores(partition);
    expect((await broker.facts('pool', p, NOW, {})).runningSince).toEqual(new Map([['0', new Date(at(-30))]]));
  });

  it('hands on the busy spell the previous view saw, and none when it saw none', async () => {
    const busy = fakeStores({ view: view([], { scaleSet: { provisioningState: 'Updating', busySince: at(-7) } }), seats: [], waiting: [] });
    expect((await busy.broker.facts('pool', p, NOW, {})).scaleSetBusySince).toEqual(new Date(at(-7)));
    const calm = fakeStores({ view: view([]), seats: [], waiting: [] });
    expect(await calm.broker.facts('pool', p, NOW, {})).not.toHaveProperty('scaleSetBusySince');
  });
});

describe('after acting', () => {
  const acted = { steps: [], actedOut: false, actedIn: false };

  async function run(partition: PoolPartition, reportRows: VmReport[], e: Partial<Evaluated>) {
    const stores = fakeStores(partition, reportRows);
    const facts = await stores.broker.facts('pool', p, NOW, {});
    stores.calls.length = 0;
    await stores.broker.evaluated({ pool: 'pool', policy: p, now: NOW, acted, facts, ...e }, {});
    return stores;
  }

  it('writes the view built from the previous view and the fresh reports', async () => {
    const previous = view([viewVm('0', { runningSince: at(-30) })]);
    const rows = [report('0', { counts: { jupyter: 1, ssh: 0 }, sessions: [{ user: 'ana', kind: 'jupyter' }], drained: true })];
    const { views } = await run({ view: previous, seats: [], waiting: [] }, rows, { observation: observation([vm('0')]) });
    expect(views).toHaveLength(1);
    expect(views[0]!.instances).toEqual([
      { instanceId: '0', state: 'running', sessions: { known: true, count: 1, users: [{ user: 'ana', kind: 'jupyter' }] }, draining: true, removing: false, endpoints: {}, runningSince: at(-30) },
    ]);
    expect(views[0]!.placement).toBe('depth-first');
  });

  it('removes the seats rows and reports of VMs no longer listed, and nothing else', async () => {
    const partition: PoolPartition = { view: view([viewVm('0'), viewVm('1')]), seats: [{ instanceId: '0', reservations: [] }, { instanceId: '1', reservations: [] }, { instanceId: '2', reservations: [] }], waiting: [] };
    const { calls } = await run(partition, [report('0'), report('1'), report('3')], { observation: observation([vm('0'), vm('1', { state: 'deleting' })]) });
    // VM 1 is still listed (deleting): its rows stay until it is gone.
    expect(calls.sort()).toEqual(['removeReports target 3', 'removeSeats pool 2']);
  });

  it('judges what is listed by the listing after a scale-out', async () => {
    const partition: PoolPartition = { seats: [{ instanceId: '0', reservations: [] }, { instanceId: '4', reservations: [] }], waiting: [] };
    const instancesAfter = [{ instanceId: '0', state: 'running' }, { instanceId: '4', state: 'creating' }] as Evaluated['instancesAfter'];
    const { calls, views } = await run(partition, [report('4')], { observation: observation([vm('0')]), instancesAfter });
    expect(calls).toEqual([]);
    expect(views[0]!.instances.map((i) => i.instanceId)).toEqual(['0', '4']);
  });

  it('removes nothing when every row belongs to a listed VM', async () => {
    const { calls } = await run({ seats: [{ instanceId: '0', reservations: [] }], waiting: [] }, [report('0')], { observation: observation([vm('0')]) });
    expect(calls).toEqual([]);
  });

  it('removes nothing when observing failed (the VMs are not known), but still writes the view', async () => {
    const { calls, views } = await run({ seats: [{ instanceId: '0', reservations: [] }], waiting: [] }, [report('0')], { observation: undefined });
    expect(calls).toEqual([]);
    expect(views).toHaveLength(1);
  });

  it('writes the view without facts (the broker could not be read) and removes nothing', async () => {
    const stores = fakeStores({ seats: [{ instanceId: '9', reservations: [] }], waiting: [] });
    await stores.broker.evaluated({ pool: 'pool', policy: p, now: NOW, acted, observation: observation([vm('0')]) }, {});
    expect(stores.calls).toEqual([]);
    expect(stores.views.map((v) => v.instances.map((i) => i.instanceId))).toEqual([['0']]);
  });
});
