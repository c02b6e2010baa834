// connectUser() over an in-memory broker store (ETag-conditional like Table Storage), wired to the real evaluation
// (evaluatePool with the broker's facts and view) over recording fakes of the scale set: the free-seat path costs two
// storage operations and no evaluation; people asking at the same moment are counted by one evaluation. Time is
// vitest's fake clock (arrivals, settling window, view polls), so the result does not hang on how busy the machine is.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { evaluatePool } from '../../../src/autoscale/evaluate-pool.js';
import type { CallOptions } from '../../../src/autoscale/scale-set.port.js';
import type { BrokerStore, PoolPartition } from '../../../src/broker/broker-store.port.js';
import { connectUser, type ConnectDeps, type ConnectResult } from '../../../src/broker/connect-user.js';
import { BrokerError } from '../../../src/broker/errors.js';
import type { PoolView } from '../../../src/broker/pool-view.js';
import type { VmSeats, WaitingUser } from '../../../src/broker/reservation.js';
import { createSeatBroker } from '../../../src/broker/seat-broker.js';
import type { SettleWindow } from '../../../src/broker/settle-waiting.js';
import type { VmReportStore } from '../../../src/broker/vm-report.js';
import { NOW, policy, TARGET, vm } from '../autoscale/factories.js';
import { fakeDeps, RecordingScaleSet } from '../autoscale/fakes.js';

/** One pool's partition in memory; seats rows and the view row carry ETags; every call is counted. */
class MemoryBrokerStore implements BrokerStore {
  calls: string[] = [];
  view?: PoolView;
  viewEtag?: string;
  seats = new Map<string, VmSeats>();
  waiting = new Map<string, WaitingUser>();
  private version = 0;
  async read(): Promise<PoolPartition> {
    this.calls.push('read');
    return structuredClone({ view: this.view, viewEtag: this.viewEtag, seats: [...this.seats.values()], waiting: [...this.waiting.values()] });
  }
  async writeSeats(_pool: string, s: VmSeats) {
    this.calls.push(`writeSeats ${s.instanceId}`);
    if (this.seats.get(s.instanceId)?.etag !== s.etag) throw new BrokerError('SEAT_CONFLICT', 'changed');
    this.seats.set(s.instanceId, { ...structuredClone(s), etag: `e${++this.version}` });
  }
  async writeWaiting(_pool: string, w: WaitingUser) {
    this.calls.push('writeWaiting');
    this.waiting.set(w.user, structuredClone(w));
  }
  async removeWaiting(_pool: string, user: string) {
    this.calls.push('removeWaiting');
    this.waiting.delete(user);
  }
  async writeView(v: PoolView) {
    this.calls.push('writeView');
    this.view = structuredClone(v);
    this.viewEtag = `v${++this.version}`;
  }
  async removeSeats(_pool: string, ids: readonly string[]) {
    this.calls.push('removeSeats');
    for (const id of ids) this.seats.delete(id);
  }
}

/** A scale set whose capacity change adds VMs that are creating, and which is Updating until they exist (as Azure). */
class GrowingScaleSet extends RecordingScaleSet {
  override setCapacity = async (n: number, _o?: CallOptions) => {
    this.calls.push(`setCapacity ${n}`);
    for (let id = this.instances.length; id < n; id++) this.instances.push(vm(id, { state: 'creating' }));
    this.capacity = n;
    this.provisioningState = 'Updating';
  };
}

/** Waits on the fake clock (the tests run under vi.useFakeTimers). */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const noReports = { list: async () => [], remove: async () => {} } as unknown as VmReportStore;
const PER_VM = 4;

/** A pool of one running VM with `sessions` on it, its first view written by a timer evaluation. */
async function pool(sessions: number, window: Omit<SettleWindow, 'sleep' | 'nowMs'>, maxInstances = 20) {
  const store = new MemoryBrokerStore();
  const set = new GrowingScaleSet([vm(0, { latest: sessions, protectFromScaleIn: sessions > 0 })]);
  const p = policy({ seatsPerInstance: PER_VM, maxInstances, spareSeats: 0, scaleOutCooldownMinutes: 0 });
  const settle: SettleWindow = { ...window, sleep, nowMs: () => Date.now() };
  const deps = { ...fakeDeps({ [TARGET]: set }), broker: createSeatBroker(store, noReports, undefined, settle) };
  await evaluatePool(deps, 'pool', p, { trigger: 'timer' });
  const evaluations: { settle: boolean; outcome: string }[] = [];
  const connect: ConnectDeps = {
    store,
    now: () => NOW,
    sleep,
    evaluate: async (name, o) => {
      const r = await evaluatePool(deps, name, p, { trigger: 'connect', settle: o?.settle === true });
      evaluations.push({ settle: o?.settle === true, outcome: r.outcome });
      return { outcome: r.outcome };
    },
  };
  store.calls = [];
  return { store, set, connect, evaluations, events: deps.events };
}

/** Runs the fake clock until nothing waits on it any more, then `work`'s answer. */
async function answered<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined); // a rejection is the caller's to see, not an unhandled one while the clock runs
  await vi.runAllTimersAsync();
  return work;
}

/** `n` people asking `gapMs` apart (fake clock) without waiting for each other's answers. */
function crowd(connect: ConnectDeps, n: number, gapMs: number): Promise<ConnectResult[]> {
  return answered(Promise.all(Array.from({ length: n }, async (_, i) => {
    await sleep(i * gapMs);
    return connectUser(connect, 'pool', { user: `p${i}@example.com`, kind: 'jupyter' });
  })));
}

describe('connectUser', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('with a free seat: one read, one reservation write, no evaluation', async () => {
    const { store, connect, evaluations } = await pool(1, { quietMs: 300, quietReads: 4, maxMs: 3000, pollMs: 10 });
    const r = await connectUser(connect, 'pool', { user: 'ann@example.com', kind: 'jupyter' });
    expect(r.placement).toMatchObject({ outcome: 'placed', instanceId: '0', ready: true });
    expect(store.calls).toEqual(['read', 'writeSeats 0']);
    expect(r.storageOperations).toBe(2);
    expect(r.evaluated).toBe(false);
    expect(evaluations).toEqual([]);
  });

  it('12 people asking over 220 ms on a full pool are counted by one evaluation and each holds a seat on a new VM', async () => {
    const { set, connect, evaluations, events } = await pool(4, { quietMs: 300, quietReads: 4, maxMs: 3000, pollMs: 10 });
    const results = await crowd(connect, 12, 20);
    expect(results.map((r) => r.placement.outcome)).toEqual(Array(12).fill('placed'));
    expect(results.every((r) => r.placement.outcome === 'placed' && !r.placement.ready)).toBe(true);
    // One capacity change for all twelve: 1 full VM + 12 people / 4 seats.
    expect(set.calls.filter((c) => c.startsWith('setCapacity'))).toEqual(['setCapacity 4']);
    expect(events.events.filter((e) => e.trigger === 'connect' && e.actedOut)).toHaveLength(1);
    expect(evaluations.filter((e) => e.outcome !== 'busy')).toHaveLength(1);
    const perVm = new Map<string, number>();
    for (const r of results) if (r.placement.outcome === 'placed') perVm.set(r.placement.instanceId, (perVm.get(r.placement.instanceId) ?? 0) + 1);
    expect(Object.fromEntries(perVm)).toEqual({ 1: 4, 2: 4, 3: 4 });
  });

  it('without a settling window the same crowd is not all counted: those left over are told to wait', async () => {
    // The control for the test above: it fails when the window does nothing.
    const { set, connect } = await pool(4, { quietMs: 0, quietReads: 0, maxMs: 0, pollMs: 10 });
    const results = await crowd(connect, 12, 20);
    expect(set.calls.filter((c) => c.startsWith('setCapacity'))).toHaveLength(1);
    expect(set.calls).not.toContain('setCapacity 4');
    expect(results.some((r) => r.placement.outcome === 'wait')).toBe(true);
  });

  it('people beyond maxInstances are told to wait with a place in the queue, and no window delays them', async () => {
    const { connect, evaluations } = await pool(4, { quietMs: 300, quietReads: 4, maxMs: 3000, pollMs: 10 }, 2);
    const results = await crowd(connect, 6, 20);
    const waiting = results.map((r) => r.placement).filter((p) => p.outcome === 'wait');
    expect(results.filter((r) => r.placement.outcome === 'placed')).toHaveLength(4);
    expect(waiting.map((p) => p.outcome === 'wait' && p.why)).toEqual(['pool-at-maximum', 'pool-at-maximum']);
    expect(waiting.every((p) => p.outcome === 'wait' && p.position >= 1)).toBe(true);
    // Asked again at the maximum, the evaluation they trigger does not settle: no VM could be added for them.
    evaluations.length = 0;
    const asked = Date.now();
    await answered(connectUser(connect, 'pool', { user: 'late@example.com', kind: 'jupyter' }));
    expect(evaluations.map((e) => e.settle)).toEqual([false]);
    expect(Date.now() - asked).toBe(0); // no settling window: answered without the clock moving
  });
});
