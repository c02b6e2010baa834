// The connect use case through its public function, with an in-memory broker store that checks ETags like Table
// Storage (a write on a row someone changed since it was read fails with SEAT_CONFLICT), an evaluation fake, and an
// instant `sleep` and fixed `now` (so nothing here waits or reads a clock).
import { describe, expect, it, vi } from 'vitest';
import type { BrokerStore, PoolPartition } from '../../../src/broker/broker-store.port.js';
import { connectUser, type ConnectDeps } from '../../../src/broker/connect-user.js';
import { BrokerError } from '../../../src/broker/errors.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { Reservation, VmSeats, WaitingUser } from '../../../src/broker/reservation.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const at = (m: number) => new Date(NOW.getTime() + m * MIN).toISOString();
const ana = { user: 'ana', kind: 'jupyter' as const };

const vm = (id: string, count: number, o: Partial<ViewInstance> = {}): ViewInstance => ({
  instanceId: id, state: 'running', sessions: { known: true, count, users: [] }, draining: false, removing: false, endpoints: {}, ...o,
});
const view = (instances: ViewInstance[], o: Partial<PoolView> = {}): PoolView => ({
  pool: 'p', writtenAt: NOW.toISOString(), seatsPerInstance: 2, maxInstances: 4, placement: 'depth-first', reservationMinutes: 10, scaleSet: { provisioningState: 'Succeeded' }, instances, ...o,
});
const held = (user: string, o: Partial<Reservation> = {}): Reservation => ({ user, kind: 'jupyter', reservedAt: at(-1), expiresAt: at(9), ...o });
const waitingRow = (user: string, o: Partial<WaitingUser> = {}): WaitingUser => ({ user, kind: 'jupyter', since: at(-2), expiresAt: at(3), ...o });

/** The broker's rows in memory, with Table Storage's ETag rule on seats rows. */
class MemoryStore implements BrokerStore {
  view?: PoolView;
  seats = new Map<string, VmSeats>();
  waiting = new Map<string, WaitingUser>();
  reads = 0;
  /** Every read and write made of the store (what storageOperations should count). */
  calls = 0;
  seatWrites: VmSeats[] = [];
  waitingWrites: WaitingUser[] = [];
  removedWaiting: string[] = [];
  private version = 0;
  /** Runs before each seats write: another connect writing first. */
  beforeSeatsWrite?: (attempt: number) => void;
  failWrite?: Error;
  failRemoveWaiting?: Error;

  constructor(v?: PoolView, seats: VmSeats[] = [], waiting: WaitingUser[] = []) {
    this.view = v;
    for (const s of seats) this.put(s);
    for (const w of waiting) this.waiting.set(w.user, w);
  }
  put(s: Omit<VmSeats, 'etag'>): void {
    this.seats.set(s.instanceId, { instanceId: s.instanceId, reservations: s.reservations, etag: `W/"${++this.version}"` });
  }
  async read(): Promise<PoolPartition> {
    this.reads++;
    this.calls++;
    return structuredClone({ view: this.view, seats: [...this.seats.values()], waiting: [...this.waiting.values()] });
  }
  async writeSeats(_pool: string, s: VmSeats): Promise<void> {
    this.calls++;
    this.beforeSeatsWrite?.(this.seatWrites.length);
    this.seatWrites.push(s);
    if (this.failWrite) throw this.failWrite;
    const current = this.seats.get(s.instanceId);
    if (s.etag === undefined ? current !== undefined : current?.etag !== s.etag) throw new BrokerError('SEAT_CONFLICT', 'someone wrote first');
    this.put(s);
  }
  async writeWaiting(_pool: string, w: WaitingUser): Promise<void> {
    this.calls++;
    this.waitingWrites.push(w);
    this.waiting.set(w.user, w);
  }
  async removeWaiting(_pool: string, user: string): Promise<void> {
    this.calls++;
    this.removedWaiting.push(user);
    if (this.failRemoveWaiting) throw this.failRemoveWaiting;
    this.waiting.delete(user);
  }
  async writeView(v: PoolView): Promise<void> {
    this.view = v;
  }
  async removeSeats(): Promise<void> {}
}

function deps(store: MemoryStore, evaluate: (n: number) => string | void = () => {}, o: Partial<ConnectDeps> = {}) {
  const evaluations: string[] = [];
  const sleeps: number[] = [];
  const d: ConnectDeps = {
    store,
    now: () => NOW,
    evaluate: async (pool) => {
      evaluations.push(pool);
      return { outcome: evaluate(evaluations.length) ?? 'evaluated' };
    },
    sleep: async (ms) => void sleeps.push(ms),
    ...o,
  };
  return { d, evaluations, sleeps };
}

describe('a free seat', () => {
  it('places the person and writes one reservation for the view\'s reservation time, with the ETag read', async () => {
    const store = new MemoryStore(view([vm('0', 1), vm('1', 0)], { reservationMinutes: 15 }), [{ instanceId: '0', reservations: [] }]);
    const etag = store.seats.get('0')!.etag;
    const { d, evaluations } = deps(store);
    const r = await connectUser(d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '0', ready: true, reserve: true });
    expect(r.reservation).toEqual({ user: 'ana', kind: 'jupyter', reservedAt: NOW.toISOString(), expiresAt: at(15) });
    expect(store.seatWrites).toEqual([{ instanceId: '0', reservations: [r.reservation], etag }]);
    expect(r.view).toEqual(store.view);
    expect({ storageOperations: r.storageOperations, evaluated: r.evaluated, evaluations }).toEqual({ storageOperations: 2, evaluated: false, evaluations: [] });
  });

  it('creates the seats row (no ETag) for a VM that has none', async () => {
    const store = new MemoryStore(view([vm('3', 0)]));
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(store.seatWrites).toEqual([{ instanceId: '3', reservations: [r.reservation] }]);
  });

  it("keeps the others' live reservations and the person's other kind, and drops expired ones", async () => {
    const bo = held('bo');
    const anaSsh = held('ana', { kind: 'ssh' });
    const store = new MemoryStore(view([vm('0', 0)], { seatsPerInstance: 4 }), [{ instanceId: '0', reservations: [bo, held('cy', { expiresAt: at(0) }), anaSsh] }]);
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(store.seats.get('0')!.reservations).toEqual([bo, anaSsh, r.reservation]);
  });

  it('writes nothing for a seat already held for the person, and answers with that reservation', async () => {
    const mine = held('ana', { expiresAt: at(4) });
    const store = new MemoryStore(view([vm('0', 1)]), [{ instanceId: '0', reservations: [held('bo', { kind: 'ssh' }), mine] }]);
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '0', by: 'reservation', reserve: false });
    expect(r.reservation).toEqual(mine);
    expect(store.seatWrites).toEqual([]);
    expect(r.storageOperations).toBe(1);
  });

  it('answers no reservation for a person back on their VM with a session of that kind', async () => {
    const store = new MemoryStore(view([vm('0', 2, { sessions: { known: true, count: 2, users: [{ user: 'ana', kind: 'jupyter' }] } })]));
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'placed', by: 'affinity', reserve: false });
    expect(r.reservation).toBeUndefined();
  });

  it('takes the person out of the queue once placed, even when that removal fails', async () => {
    for (const failRemoveWaiting of [undefined, new Error('503')]) {
      const store = new MemoryStore(view([vm('0', 0)]), [], [waitingRow('bo'), waitingRow('ana', { expiresAt: at(-1) })]);
      store.failRemoveWaiting = failRemoveWaiting;
      const r = await connectUser(deps(store).d, 'p', ana);
      expect(r.placement.outcome).toBe('placed');
      expect(store.removedWaiting).toEqual(['ana']);
      expect(r.storageOperations).toBe(3);
    }
  });
});

describe('a lost race for a seat (SEAT_CONFLICT)', () => {
  it('re-reads and places again when another connect took the last seat first', async () => {
    const store = new MemoryStore(view([vm('0', 1), vm('1', 0)]), [{ instanceId: '0', reservations: [] }]);
    store.beforeSeatsWrite = (attempt) => {
      if (attempt === 0) store.put({ instanceId: '0', reservations: [held('bo')] });
    };
    const { d } = deps(store);
    const r = await connectUser(d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '1' });
    expect(store.reads).toBe(2);
    expect(store.seatWrites.map((s) => s.instanceId)).toEqual(['0', '1']);
    expect(r.storageOperations).toBe(4);
  });

  it('backs off a little longer after each lost race, at most 5 times 20 ms', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      const store = new MemoryStore(view([vm('0', 0)]), [{ instanceId: '0', reservations: [] }]);
      store.beforeSeatsWrite = (attempt) => {
        if (attempt < 7) store.put({ instanceId: '0', reservations: [] });
      };
      const { d, sleeps } = deps(store);
      await connectUser(d, 'p', ana);
      // (Only the backoff sleeps: at most 100 ms.)
      expect(sleeps.map(Math.round).filter((ms) => ms <= 100)).toEqual([20, 40, 60, 80, 100, 100, 100]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('gives up with BROKER_BUSY (retry after 2 s) after 61 lost races, and wins on the 61st try', async () => {
    const always = new MemoryStore(view([vm('0', 0)]), [{ instanceId: '0', reservations: [] }]);
    always.beforeSeatsWrite = () => always.put({ instanceId: '0', reservations: [] });
    const err = await connectUser(deps(always).d, 'p', ana).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'BrokerError', code: 'BROKER_BUSY', retryAfterSeconds: 2, message: expect.stringContaining('"p"') });
    expect(always.seatWrites).toHaveLength(61);

    const sixty = new MemoryStore(view([vm('0', 0)]), [{ instanceId: '0', reservations: [] }]);
    sixty.beforeSeatsWrite = (attempt) => {
      if (attempt < 60) sixty.put({ instanceId: '0', reservations: [] });
    };
    await expect(connectUser(deps(sixty).d, 'p', ana)).resolves.toMatchObject({ placement: { outcome: 'placed', instanceId: '0' } });
    expect(sixty.seatWrites).toHaveLength(61);
  });

  it('passes on any other storage error at once', async () => {
    const store = new MemoryStore(view([vm('0', 0)]));
    store.failWrite = Object.assign(new Error('throttled'), { code: 'STORAGE_THROTTLED' });
    await expect(connectUser(deps(store).d, 'p', ana)).rejects.toMatchObject({ code: 'STORAGE_THROTTLED' });
    expect(store.seatWrites).toHaveLength(1);
  });
});

describe('a view older than one timer tick', () => {
  const starting = vm('0', 0, { state: 'starting', readyAt: at(1), sessions: { known: false, count: 0, users: [] } });

  it('is refreshed once by an evaluation before a seat on a VM it shows starting is promised', async () => {
    const store = new MemoryStore(view([starting], { writtenAt: new Date(NOW.getTime() - 60_001).toISOString() }));
    const { d, evaluations } = deps(store, () => void (store.view = view([vm('0', 0)])));
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toEqual(['p']);
    expect(r).toMatchObject({ placement: { outcome: 'placed', instanceId: '0', ready: true }, evaluated: true });
  });

  it('is refreshed only once, even when the VM is still starting', async () => {
    const store = new MemoryStore(view([starting], { writtenAt: at(-5) }));
    const { d, evaluations } = deps(store);
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toHaveLength(1);
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '0', ready: false });
  });

  it('is not refreshed at exactly one minute old, nor for a running VM', async () => {
    for (const v of [view([starting], { writtenAt: at(-1) }), view([vm('0', 0)], { writtenAt: at(-5) })]) {
      const store = new MemoryStore(v);
      const { d, evaluations } = deps(store);
      expect((await connectUser(d, 'p', ana)).evaluated).toBe(false);
      expect(evaluations).toEqual([]);
    }
  });
});

describe('no free seat', () => {
  const full = () => view([vm('0', 2), vm('1', 0, { state: 'deallocated' })]);

  it('queues the person with the promise, evaluates at once, and places them on the VM it started', async () => {
    const store = new MemoryStore(full());
    const { d, evaluations } = deps(store, () => void (store.view = view([vm('0', 2), vm('1', 0, { state: 'starting', readyAt: at(2) })])));
    const r = await connectUser(d, 'p', ana);
    expect(store.waitingWrites).toEqual([{ user: 'ana', kind: 'jupyter', since: NOW.toISOString(), expiresAt: at(5), expectedReadyAt: at(2), expectedFor: 'start' }]);
    expect(evaluations).toEqual(['p']);
    expect(r).toMatchObject({ placement: { outcome: 'placed', instanceId: '1', ready: false, readyAt: new Date(at(2)) }, evaluated: true });
    expect(store.removedWaiting).toEqual(['ana']);
  });

  it('keeps the place in the queue of a person already waiting, but not of an expired wait', async () => {
    const waited = new MemoryStore(full(), [], [waitingRow('ana', { since: at(-4) })]);
    await connectUser(deps(waited).d, 'p', ana);
    expect(waited.waitingWrites[0]!.since).toBe(at(-4));
    const expired = new MemoryStore(full(), [], [waitingRow('ana', { since: at(-9), expiresAt: at(0) })]);
    await connectUser(deps(expired).d, 'p', ana);
    expect(expired.waitingWrites[0]!.since).toBe(NOW.toISOString());
  });

  it('evaluates again while others take the seats it adds, 4 times in all, then answers the wait', async () => {
    const store = new MemoryStore(full());
    const { d, evaluations } = deps(store);
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toHaveLength(4);
    expect(r).toMatchObject({ placement: { outcome: 'wait', why: 'no-free-seat', position: 1, estimatedReadyAt: new Date(at(2)) }, evaluated: true });
    expect(store.waitingWrites).toHaveLength(1);
  });

  it('does not evaluate again for a pool at its maximum', async () => {
    const store = new MemoryStore(view([vm('0', 2)], { maxInstances: 1 }));
    const { d, evaluations } = deps(store);
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toHaveLength(1);
    expect(r.placement).toEqual({ outcome: 'wait', position: 1, why: 'pool-at-maximum' });
  });

  it('waits for the view of an evaluation another caller is running, without evaluating again', async () => {
    const store = new MemoryStore(full());
    const { d, evaluations } = deps(store, () => 'busy');
    const read = store.read.bind(store);
    store.read = async () => {
      if (store.reads === 3) store.view = view([vm('0', 2), vm('2', 0)]);
      return read();
    };
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toHaveLength(1);
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '2' });
  });

  it('evaluates again at once, without polling, when a busy evaluation has already written its view and no seat is free in it', async () => {
    // The store keeps no view ETag here: a written view is told apart by its content (the later writtenAt).
    const store = new MemoryStore(full());
    const { d, evaluations, sleeps } = deps(store, (n) => {
      if (n === 1) {
        store.view = view([vm('0', 2), vm('1', 0, { state: 'deallocated' })], { writtenAt: at(0.5) });
        return 'busy';
      }
      store.view = view([vm('0', 2), vm('1', 0)]);
    });
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toEqual(['p', 'p']);
    expect(sleeps).toEqual([]);
    expect(store.reads).toBe(3);
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '1' });
  });

  it('settles the first evaluation when there is no view yet, as when no seat is free', async () => {
    for (const [v, expected] of [[undefined, [true]], [full(), [true, false]]] as const) {
      const store = new MemoryStore(v);
      const settles: boolean[] = [];
      const d = deps(store).d;
      d.evaluate = async (_pool, o) => {
        settles.push(o?.settle === true);
        if (settles.length === expected.length) store.view = view([vm('0', 2), vm('2', 0)]);
        return { outcome: 'evaluated' };
      };
      expect((await connectUser(d, 'p', ana)).placement).toMatchObject({ outcome: 'placed', instanceId: '2' });
      expect(settles).toEqual(expected);
    }
  });

  it('evaluates again after 15 unchanged polls of a busy evaluation, at most 4 evaluations in all', async () => {
    const store = new MemoryStore(full());
    const { d, evaluations } = deps(store, () => 'busy');
    const r = await connectUser(d, 'p', ana);
    expect(evaluations).toHaveLength(4);
    // Each evaluation found busy: 15 polls of 1 s, then the 16th read evaluates again (the view never changed).
    expect(store.reads).toBe(1 + 4 * 16);
    expect(r.placement).toMatchObject({ outcome: 'wait', why: 'no-free-seat' });
  });

  it('says why the promise moved, as seen on the first read, once the person has a new one', async () => {
    const store = new MemoryStore(view([vm('0', 2)]), [], [waitingRow('ana', { expectedReadyAt: at(1), expectedFor: 'start' })]);
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'wait', estimatedReadyAt: new Date(at(5)), expectedFor: 'create', estimateMoved: expect.stringMatching(/^no stopped VM is left to start/) });
    expect(store.waiting.get('ana')).toMatchObject({ expectedReadyAt: at(5), expectedFor: 'create' });
  });

  it('says nothing moved for a first promise', async () => {
    const r = await connectUser(deps(new MemoryStore(full())).d, 'p', ana);
    expect(r.placement).not.toHaveProperty('estimateMoved');
  });
});

describe('a pool without a view', () => {
  it('checks the pool can seat anyone before queueing the person', async () => {
    const store = new MemoryStore();
    const ensurePool = vi.fn(async () => {
      throw new BrokerError('POOL_NOT_FOUND', 'no pool "p"');
    });
    await expect(connectUser(deps(store, undefined, { ensurePool }).d, 'p', ana)).rejects.toMatchObject({ code: 'POOL_NOT_FOUND' });
    expect(ensurePool).toHaveBeenCalledWith('p');
    expect(store.waitingWrites).toEqual([]);
  });

  it('does not ask about the pool when there is a view', async () => {
    const ensurePool = vi.fn(async () => {});
    await connectUser(deps(new MemoryStore(view([vm('0', 2)], { maxInstances: 1 })), undefined, { ensurePool }).d, 'p', ana);
    expect(ensurePool).not.toHaveBeenCalled();
  });

  it('stores the promise made once the first view is written, so the next ask keeps it', async () => {
    const store = new MemoryStore();
    const { d } = deps(store, () => void (store.view = view([vm('0', 2)])));
    const r = await connectUser(d, 'p', ana);
    expect(store.waitingWrites[0]).not.toHaveProperty('expectedReadyAt');
    expect(store.waiting.get('ana')).toMatchObject({ since: NOW.toISOString(), expectedReadyAt: at(5), expectedFor: 'create' });
    expect(r.placement).toMatchObject({ outcome: 'wait', estimatedReadyAt: new Date(at(5)) });
    expect(r.placement).not.toHaveProperty('estimateMoved');
  });
});

describe('a scale set that is gone', () => {
  it('answers at once: no queue row, no evaluation', async () => {
    const store = new MemoryStore(view([vm('0', 0)], { scaleSet: { provisioningState: 'Unknown', missing: true } }));
    const { d, evaluations } = deps(store);
    const r = await connectUser(d, 'p', ana);
    expect(r).toMatchObject({ placement: { outcome: 'wait', why: 'scale-set-missing' }, storageOperations: 1, evaluated: false });
    expect(evaluations).toEqual([]);
    expect(store.waitingWrites).toEqual([]);
  });
});

describe('the figures and rows it answers with', () => {
  it('counts every storage read and write it made, on each path', async () => {
    const cases: Array<[string, MemoryStore, (n: number) => string | void]> = [
      ['a free seat', new MemoryStore(view([vm('0', 0)])), () => {}],
      ['no free seat, 4 evaluations', new MemoryStore(view([vm('0', 2)])), () => {}],
      ['a pool at its maximum', new MemoryStore(view([vm('0', 2)], { maxInstances: 1 })), () => {}],
      ['a busy evaluation', new MemoryStore(view([vm('0', 2)])), () => 'busy'],
    ];
    const noView = new MemoryStore();
    cases.push(['a first view', noView, () => void (noView.view = view([vm('0', 2)]))]);
    for (const [what, store, evaluate] of cases) {
      const r = await connectUser(deps(store, evaluate).d, 'p', ana);
      expect(r.storageOperations, what).toBe(store.calls);
    }
  });

  it("leaves other people's waiting rows alone", async () => {
    const bo = waitingRow('bo', { since: at(-4), expectedReadyAt: at(1), expectedFor: 'start' });
    const placed = new MemoryStore(view([vm('0', 0)]), [], [bo]);
    await connectUser(deps(placed).d, 'p', ana);
    expect(placed.removedWaiting).toEqual([]);

    const waits = new MemoryStore(view([vm('0', 2)]), [], [bo]);
    const r = await connectUser(deps(waits).d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'wait', position: 2 });
    expect(waits.waiting.get('bo')).toEqual(bo);
    expect(waits.waiting.get('ana')).toMatchObject({ since: NOW.toISOString(), expectedReadyAt: at(5), expectedFor: 'create' });
  });

  it("answers the person's own live reservation of the kind asked, not another", async () => {
    const mine = held('ana', { expiresAt: at(4) });
    const store = new MemoryStore(view([vm('0', 0), vm('1', 1)], { seatsPerInstance: 4 }), [
      { instanceId: '0', reservations: [held('cy')] },
      { instanceId: '1', reservations: [held('bo'), held('ana', { kind: 'ssh' }), mine] },
    ]);
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(r.placement).toMatchObject({ instanceId: '1', reserve: false });
    expect(r.reservation).toEqual(mine);
  });

  it('answers no reservation for a person back on their VM whose old reservation has expired', async () => {
    const home = vm('0', 2, { sessions: { known: true, count: 2, users: [{ user: 'ana', kind: 'jupyter' }] } });
    const store = new MemoryStore(view([home]), [{ instanceId: '0', reservations: [held('ana', { expiresAt: at(-5) })] }]);
    const r = await connectUser(deps(store).d, 'p', ana);
    expect(r.placement).toMatchObject({ outcome: 'placed', by: 'affinity', reserve: false });
    expect(r.reservation).toBeUndefined();
  });

  it('queues the person when the refresh of a stale view shows the seat it promised is gone', async () => {
    const starting = vm('1', 0, { state: 'starting', readyAt: at(1), sessions: { known: false, count: 0, users: [] } });
    const store = new MemoryStore(view([vm('0', 2), starting], { writtenAt: at(-5) }));
    // The start failed: VM 1 is deallocated again, and nothing frees up.
    const { d, evaluations } = deps(store, () => void (store.view = view([vm('0', 2), vm('1', 0, { state: 'deallocated' })])));
    const r = await connectUser(d, 'p', ana);
    expect(store.waitingWrites).toEqual([{ user: 'ana', kind: 'jupyter', since: NOW.toISOString(), expiresAt: at(5), expectedReadyAt: at(2), expectedFor: 'start' }]);
    expect(evaluations).toHaveLength(4);
    expect(r.placement).toMatchObject({ outcome: 'wait', why: 'no-free-seat', estimatedReadyAt: new Date(at(2)) });
  });
});

