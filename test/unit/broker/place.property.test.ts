// The broker's promises over generated pools: affinity first, never a closed VM (draining, leaving, stuck, not
// coming), never past seatsPerInstance while another VM has room, unknown VMs count as full, depth-first packs,
// and reservations hold seats only until they expire (judged from time).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClosed, place, seatsUsed, type Placement } from '../../../src/broker/place.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { VmSeats } from '../../../src/broker/reservation.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const USERS = ['ana', 'bo', 'cy', 'di', 'ed', 'fa'];
const MIN = 60_000;
const iso = (m: number) => new Date(NOW.getTime() + m * MIN).toISOString();

const vmArb = (id: number) =>
  fc.record({
    state: fc.constantFrom('running', 'running', 'running', 'creating', 'starting', 'deallocated', 'deallocating'),
    draining: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
    removing: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
    known: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
    users: fc.subarray(USERS, { maxLength: 4 }).chain((us) => fc.tuple(...us.map((u) => fc.record({ user: fc.constant(u), kind: fc.constantFrom('jupyter' as const, 'ssh' as const) })))),
    extra: fc.integer({ min: 0, max: 2 }),
    readyIn: fc.integer({ min: -20, max: 6 }),
    reservations: fc.array(fc.record({ user: fc.constantFrom(...USERS), kind: fc.constantFrom('jupyter' as const, 'ssh' as const), expiresIn: fc.integer({ min: -5, max: 10 }) }), { maxLength: 3 }),
  }).map((g) => {
    const vm: ViewInstance = {
      instanceId: String(id),
      state: g.state as ViewInstance['state'],
      sessions: g.state === 'running' ? { known: g.known, count: g.users.length + g.extra, users: g.users } : { known: false, count: 0, users: [] },
      draining: g.draining,
      removing: g.removing,
      endpoints: { jupyter: { address: '10.0.0.1', port: 51000 + id } },
      ...(g.state === 'creating' || g.state === 'starting' ? { readyAt: iso(g.readyIn) } : {}),
    };
    const seats: VmSeats = { instanceId: String(id), reservations: g.reservations.map((r) => ({ user: r.user, kind: r.kind, reservedAt: iso(-10), expiresAt: iso(r.expiresIn) })) };
    return { vm, seats };
  });

const caseArb = fc
  .record({
    n: fc.integer({ min: 0, max: 6 }),
    seatsPerInstance: fc.integer({ min: 1, max: 5 }),
    placement: fc.constantFrom('depth-first' as const, 'breadth-first' as const),
    user: fc.constantFrom(...USERS, 'newcomer'),
    kind: fc.constantFrom('jupyter' as const, 'ssh' as const),
  })
  .chain((c) => fc.tuple(fc.constant(c), fc.tuple(...Array.from({ length: c.n }, (_, i) => vmArb(i)))))
  .map(([c, vms]) => {
    const view: PoolView = {
      pool: 'p', writtenAt: NOW.toISOString(), seatsPerInstance: c.seatsPerInstance, maxInstances: 10, placement: c.placement, reservationMinutes: 10,
      scaleSet: { provisioningState: 'Succeeded' }, instances: vms.map((v) => v.vm),
    };
    return { view, seats: vms.map((v) => v.seats), request: { user: c.user, kind: c.kind } };
  });

const RUNS = 3000;
const check = (name: string, f: (c: { view: PoolView; seats: VmSeats[]; request: { user: string; kind: 'jupyter' | 'ssh' }; p: Placement }) => void) =>
  it(name, () => fc.assert(fc.property(caseArb, (c) => f({ ...c, p: place(c.view, c.seats, [], c.request, NOW) })), { numRuns: RUNS }));

const seatsOf = (seats: VmSeats[], id: string) => seats.find((s) => s.instanceId === id);
const free = (c: { view: PoolView; seats: VmSeats[] }, vm: ViewInstance) => !isClosed(vm, NOW) && seatsUsed(c.view, vm, seatsOf(c.seats, vm.instanceId), NOW) < c.view.seatsPerInstance;

describe(`place() over ${RUNS} generated pools per property`, () => {
  check('never places anyone on a draining, leaving, stuck or non-coming VM', ({ view, p }) => {
    if (p.outcome !== 'placed') return;
    expect(isClosed(view.instances.find((v) => v.instanceId === p.instanceId)!, NOW)).toBe(false);
  });

  check('affinity first: a user with a session on an open VM goes back to it', ({ view, request, p }) => {
    const home = view.instances.find((vm) => !isClosed(vm, NOW) && vm.sessions.users.some((s) => s.user === request.user));
    if (home) expect(p).toMatchObject({ outcome: 'placed', instanceId: home.instanceId });
  });

  check('by the rule, never past seatsPerInstance, never on a VM with unknown sessions', ({ view, seats, p }) => {
    if (p.outcome !== 'placed' || p.by === 'affinity' || p.by === 'reservation') return;
    const vm = view.instances.find((v) => v.instanceId === p.instanceId)!;
    expect(seatsUsed(view, vm, seatsOf(seats, vm.instanceId), NOW)).toBeLessThan(view.seatsPerInstance);
    if (vm.state === 'running') expect(vm.sessions.known).toBe(true);
  });

  check('waits only when no open VM has a free seat', ({ view, seats, p }) => {
    if (p.outcome === 'wait') expect(view.instances.filter((vm) => free({ view, seats }, vm))).toEqual([]);
  });

  check('prefers a running VM, and depth-first takes the fullest running VM with room (breadth-first the emptiest)', ({ view, seats, p }) => {
    if (p.outcome !== 'placed' || (p.by !== 'depth-first' && p.by !== 'breadth-first')) return;
    const chosen = view.instances.find((v) => v.instanceId === p.instanceId)!;
    const running = view.instances.filter((vm) => vm.state === 'running' && free({ view, seats }, vm));
    if (running.length > 0) expect(chosen.state).toBe('running');
    if (chosen.state !== 'running') return;
    const used = (vm: ViewInstance) => seatsUsed(view, vm, seatsOf(seats, vm.instanceId), NOW);
    for (const other of running) {
      if (p.by === 'depth-first') expect(used(chosen)).toBeGreaterThanOrEqual(used(other));
      else expect(used(chosen)).toBeLessThanOrEqual(used(other));
    }
  });

  check('expired reservations hold nothing: the same answer as without them', ({ view, seats, request }) => {
    const later = new Date(NOW.getTime() + 11 * MIN); // every generated reservation has expired
    const shifted = { ...view, instances: view.instances.map((vm) => ({ ...vm, readyAt: vm.readyAt && new Date(Date.parse(vm.readyAt) + 11 * MIN).toISOString() })) };
    expect(place(shifted, seats, [], request, later)).toEqual(place(shifted, [], [], request, later));
  });
});

describe('place() examples', () => {
  const vm = (id: string, count: number, extra: Partial<ViewInstance> = {}): ViewInstance => ({
    instanceId: id, state: 'running', sessions: { known: true, count, users: [] }, draining: false, removing: false, endpoints: {}, ...extra,
  });
  const view = (instances: ViewInstance[], extra: Partial<PoolView> = {}): PoolView => ({
    pool: 'p', writtenAt: NOW.toISOString(), seatsPerInstance: 4, maxInstances: 3, placement: 'depth-first', reservationMinutes: 10, scaleSet: { provisioningState: 'Succeeded' }, instances, ...extra,
  });

  it('counts a VM with unknown sessions as full', () => {
    const p = place(view([vm('0', 0, { sessions: { known: false, count: 0, users: [] } }), vm('1', 3)]), [], [], { user: 'x', kind: 'ssh' }, NOW);
    expect(p).toMatchObject({ outcome: 'placed', instanceId: '1' });
  });

  it('a live reservation holds a seat until it expires', () => {
    const seats: VmSeats[] = [{ instanceId: '0', reservations: [{ user: 'y', kind: 'jupyter', reservedAt: iso(-1), expiresAt: iso(5) }] }];
    expect(place(view([vm('0', 3)]), seats, [], { user: 'x', kind: 'jupyter' }, NOW)).toMatchObject({ outcome: 'wait', position: 1, why: 'no-free-seat' });
    expect(place(view([vm('0', 3)]), seats, [], { user: 'x', kind: 'jupyter' }, new Date(NOW.getTime() + 6 * MIN))).toMatchObject({ outcome: 'placed', instanceId: '0' });
  });

  it('promises nothing on a deleted scale set', () => {
    expect(place(view([vm('0', 0)], { scaleSet: { provisioningState: 'Unknown', missing: true } }), [], [], { user: 'x', kind: 'jupyter' }, NOW)).toMatchObject({ outcome: 'wait', why: 'scale-set-missing' });
  });

  it('promises nothing on a VM stuck creating past its expected time', () => {
    const stuck = vm('0', 0, { state: 'creating', readyAt: iso(-30), sessions: { known: false, count: 0, users: [] } });
    expect(place(view([stuck], { maxInstances: 1 }), [], [], { user: 'x', kind: 'jupyter' }, NOW)).toMatchObject({ outcome: 'wait', why: 'pool-at-maximum' });
  });
});
