// place() by example, at its boundaries: which VM (affinity, a held seat, then the placement rule with running VMs
// first), when a VM counts as closed or full, and the queue position and promise when no seat is free.
import { describe, expect, it } from 'vitest';
import { isClosed, place, positionOf, seatsUsed } from '../../../src/broker/place.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { Reservation, VmSeats, WaitingUser } from '../../../src/broker/reservation.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const at = (m: number) => new Date(NOW.getTime() + m * MIN).toISOString();
const ms = (n: number) => new Date(NOW.getTime() + n).toISOString();

const vm = (id: string, count: number, o: Partial<ViewInstance> = {}): ViewInstance => ({
  instanceId: id, state: 'running', sessions: { known: true, count, users: [] }, draining: false, removing: false, endpoints: {}, ...o,
});
const coming = (id: string, state: 'creating' | 'starting', readyAt: string | undefined, o: Partial<ViewInstance> = {}): ViewInstance =>
  vm(id, 0, { state, sessions: { known: false, count: 0, users: [] }, ...(readyAt ? { readyAt } : {}), ...o });
const view = (instances: ViewInstance[], o: Partial<PoolView> = {}): PoolView => ({
  pool: 'p', writtenAt: NOW.toISOString(), seatsPerInstance: 3, maxInstances: 4, placement: 'depth-first', reservationMinutes: 10, scaleSet: { provisioningState: 'Succeeded' }, instances, ...o,
});
const held = (user: string, o: Partial<Reservation> = {}): Reservation => ({ user, kind: 'jupyter', reservedAt: at(-1), expiresAt: at(9), ...o });
const seats = (instanceId: string, ...reservations: Reservation[]): VmSeats => ({ instanceId, reservations });
const waiting = (user: string, o: Partial<WaitingUser> = {}): WaitingUser => ({ user, kind: 'jupyter', since: at(-3), expiresAt: at(2), ...o });
const ana = { user: 'ana', kind: 'jupyter' as const };

describe('seatsUsed', () => {
  it('counts the sessions of a running VM plus the seats still held on it', () => {
    expect(seatsUsed(view([]), vm('0', 1), seats('0', held('bo'), held('cy', { expiresAt: at(0) })), NOW)).toBe(2);
  });

  it('counts only held seats on a VM that is not running yet', () => {
    expect(seatsUsed(view([]), coming('0', 'creating', at(3), { sessions: { known: true, count: 2, users: [] } }), seats('0', held('bo')), NOW)).toBe(1);
  });

  it('counts a running VM with unknown sessions as full, or more when more is held', () => {
    const unknown = vm('0', 1, { sessions: { known: false, count: 1, users: [] } });
    expect(seatsUsed(view([]), unknown, undefined, NOW)).toBe(3);
    expect(seatsUsed(view([]), unknown, seats('0', held('bo'), held('cy'), held('di')), NOW)).toBe(4);
  });
});

describe('isClosed', () => {
  it.each([
    ['a running VM', vm('0', 0), false],
    ['a running VM with an old expected time', vm('0', 0, { readyAt: at(-60) }), false],
    ['a creating VM due now', coming('0', 'creating', at(0)), false],
    ['a starting VM exactly 10 minutes late (the last open moment)', coming('0', 'starting', at(-10)), false],
    ['a starting VM 10 minutes and 1 ms late', coming('0', 'starting', ms(-10 * MIN - 1)), true],
    ['a creating VM without an expected time', coming('0', 'creating', undefined), false],
    ['a draining VM', vm('0', 0, { draining: true }), true],
    ['a VM chosen for removal', vm('0', 0, { removing: true }), true],
    ['a deallocated VM', vm('0', 0, { state: 'deallocated' }), true],
    ['a stopped VM', vm('0', 0, { state: 'stopped' }), true],
    ['a deallocating VM', vm('0', 0, { state: 'deallocating' }), true],
  ])('%s is closed: %s', (_what, v, closed) => {
    expect(isClosed(v, NOW)).toBe(closed);
  });
});

describe('where a person goes', () => {
  it('says "no view" and a place in the queue when no evaluation has written a view', () => {
    expect(place(undefined, [], [waiting('bo')], ana, NOW)).toEqual({ outcome: 'wait', position: 2, why: 'no-view' });
  });

  it('promises nothing on a scale set that is gone', () => {
    expect(place(view([vm('0', 0)], { scaleSet: { provisioningState: 'Unknown', missing: true } }), [], [], ana, NOW)).toEqual({ outcome: 'wait', position: 1, why: 'scale-set-missing' });
  });

  it('places on a running VM now, with the endpoint of the kind asked for', () => {
    const endpoints = { jupyter: { address: 'pool.example', port: 51001 }, ssh: { address: 'pool.example', port: 50001 } };
    expect(place(view([vm('1', 0, { endpoints })]), [], [], { user: 'ana', kind: 'ssh' }, NOW)).toEqual({
      outcome: 'placed', instanceId: '1', by: 'depth-first', ready: true, readyAt: NOW, endpoint: endpoints.ssh, reserve: true,
    });
  });

  it('places on a creating VM, ready when it is expected (or now without an expected time)', () => {
    expect(place(view([coming('1', 'creating', at(4))]), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '1', ready: false, readyAt: new Date(at(4)) });
    expect(place(view([coming('1', 'creating', undefined)]), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '1', ready: false, readyAt: NOW });
  });

  describe('affinity', () => {
    const home = (kind: 'jupyter' | 'ssh') => vm('2', 3, { sessions: { known: true, count: 3, users: [{ user: 'bo', kind: 'ssh' }, { user: 'ana', kind }] } });

    it('sends a person back to the VM they are on, even when it is full, without a new seat for the same kind', () => {
      expect(place(view([vm('0', 0), home('jupyter')]), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '2', by: 'affinity', reserve: false });
    });

    it('holds a new seat there for another kind of session', () => {
      expect(place(view([vm('0', 0), home('ssh')]), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '2', by: 'affinity', reserve: true });
    });

    it('needs no new seat when one of that kind is already held there', () => {
      expect(place(view([home('ssh')]), [seats('2', held('ana'))], [], ana, NOW)).toMatchObject({ instanceId: '2', by: 'affinity', reserve: false });
    });

    it('writes a new seat when the one held there has expired or is another user\'s', () => {
      expect(place(view([home('ssh')]), [seats('2', held('ana', { expiresAt: at(0) }), held('bo'))], [], ana, NOW)).toMatchObject({ instanceId: '2', reserve: true });
    });

    it('does not send a person back to a closed VM', () => {
      const draining = { ...home('jupyter'), draining: true };
      expect(place(view([draining, vm('5', 0)]), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '5', by: 'depth-first' });
    });
  });

  describe('a seat already held', () => {
    it('goes to the VM holding a live seat of that kind, without a new one', () => {
      expect(place(view([vm('0', 2), vm('1', 3)]), [seats('1', held('bo'), held('ana'))], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '1', by: 'reservation', reserve: false });
    });

    it('goes to the VM holding a seat of the other kind, and holds one more', () => {
      expect(place(view([vm('0', 0), vm('1', 1)]), [seats('1', held('ana', { kind: 'ssh' }))], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '1', by: 'affinity', reserve: true });
    });

    it("ignores an expired seat and another user's seat", () => {
      const p = place(view([vm('0', 1), vm('1', 0)]), [seats('1', held('ana', { expiresAt: at(0) }), held('bo'))], [], ana, NOW);
      expect(p).toMatchObject({ outcome: 'placed', instanceId: '0', by: 'depth-first', reserve: true });
    });
  });

  describe('the placement rule', () => {
    it('depth-first takes the fullest VM with a free seat; a VM with 2 of 3 taken still has one', () => {
      expect(place(view([vm('0', 1), vm('1', 2), vm('2', 3)]), [], [], ana, NOW)).toMatchObject({ instanceId: '1', by: 'depth-first' });
    });

    it('breadth-first takes the emptiest', () => {
      expect(place(view([vm('0', 1), vm('1', 0), vm('2', 2)], { placement: 'breadth-first' }), [], [], ana, NOW)).toMatchObject({ instanceId: '1', by: 'breadth-first' });
    });

    it('counts held seats as taken', () => {
      expect(place(view([vm('0', 1), vm('1', 2)]), [seats('1', held('bo'))], [], ana, NOW)).toMatchObject({ instanceId: '0' });
    });

    it('takes a running VM before a fuller coming one, and the sooner of two coming VMs', () => {
      const soon = coming('3', 'starting', at(1));
      const later = coming('2', 'creating', at(4));
      expect(place(view([later, vm('1', 0), soon]), [seats('2', held('bo'), held('cy'))], [], ana, NOW)).toMatchObject({ instanceId: '1' });
      expect(place(view([later, soon]), [seats('2', held('bo'), held('cy'))], [], ana, NOW)).toMatchObject({ instanceId: '3', ready: false });
      expect(place(view([soon, coming('2', 'creating', at(0))]), [], [], ana, NOW)).toMatchObject({ instanceId: '2' });
    });

    it('between equals takes the lower instance id, by number', () => {
      expect(place(view([vm('10', 1), vm('9', 1)]), [], [], ana, NOW)).toMatchObject({ instanceId: '9' });
      expect(place(view([vm('9', 1), vm('10', 1)], { placement: 'breadth-first' }), [], [], ana, NOW)).toMatchObject({ instanceId: '9' });
    });

    it('takes a coming VM with an expected time after one without (unknown counts as now)', () => {
      expect(place(view([coming('1', 'creating', at(3)), coming('2', 'creating', undefined)]), [], [], ana, NOW)).toMatchObject({ instanceId: '2' });
    });
  });

  describe('a scale set stuck in an operation for over 30 minutes', () => {
    it('places on running VMs only', () => {
      const stuck = { provisioningState: 'Updating', busySince: at(-31) };
      expect(place(view([coming('0', 'starting', at(1)), vm('1', 2)], { scaleSet: stuck }), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '1' });
      expect(place(view([coming('0', 'starting', at(1))], { scaleSet: stuck }), [], [], ana, NOW)).toEqual({ outcome: 'wait', position: 1, why: 'scale-set-stuck', busySince: at(-31) });
    });

    it('places on a coming VM at exactly 30 minutes busy (not stuck yet)', () => {
      expect(place(view([coming('0', 'starting', at(1))], { scaleSet: { provisioningState: 'Updating', busySince: at(-30) } }), [], [], ana, NOW)).toMatchObject({ outcome: 'placed', instanceId: '0' });
    });
  });
});

describe('no free seat', () => {
  const full = (id: string, o: Partial<ViewInstance> = {}) => vm(id, 3, o);

  it('says the pool is at its maximum when every allowed VM is running or coming', () => {
    const p = place(view([full('0'), full('1'), full('2', { draining: true }), full('3'), vm('4', 0, { state: 'deallocated' })], { maxInstances: 4 }), [], [], ana, NOW);
    expect(p).toEqual({ outcome: 'wait', position: 1, why: 'pool-at-maximum' });
  });

  it('promises a started VM in 2 minutes one VM below the maximum, when a stopped one can be started', () => {
    const p = place(view([full('0'), full('1'), full('2'), vm('3', 0, { state: 'stopped' })], { maxInstances: 4 }), [], [], ana, NOW);
    expect(p).toEqual({ outcome: 'wait', position: 1, estimatedReadyAt: new Date(at(2)), expectedFor: 'start', why: 'no-free-seat' });
  });

  it('promises a deallocated VM started in 2 minutes', () => {
    expect(place(view([full('0'), vm('1', 0, { state: 'deallocated' })]), [], [], ana, NOW)).toMatchObject({ estimatedReadyAt: new Date(at(2)), expectedFor: 'start' });
  });

  it('promises a new VM in 5 minutes when none can be started', () => {
    expect(place(view([full('0'), vm('1', 0, { state: 'deallocating' })]), [], [], ana, NOW)).toEqual({ outcome: 'wait', position: 1, estimatedReadyAt: new Date(at(5)), expectedFor: 'create', why: 'no-free-seat' });
  });

  it('keeps the promise stored with the wait while it rests on the same thing', () => {
    const p = place(view([full('0')]), [], [waiting('ana', { expectedReadyAt: at(3), expectedFor: 'create' })], ana, NOW);
    expect(p).toEqual({ outcome: 'wait', position: 1, estimatedReadyAt: new Date(at(3)), expectedFor: 'create', why: 'no-free-seat' });
  });

  it('moves the promise, and says why, when no stopped VM is left to start', () => {
    const p = place(view([full('0')]), [], [waiting('ana', { expectedReadyAt: at(1), expectedFor: 'start' })], ana, NOW);
    expect(p).toEqual({
      outcome: 'wait', position: 1, estimatedReadyAt: new Date(at(5)), expectedFor: 'create', why: 'no-free-seat',
      estimateMoved: 'no stopped VM is left to start, so a new VM must be created, which takes about 5 minutes',
    });
  });

  it('makes a new promise without a reason when the stored wait has expired, had no promise, or is another user\'s', () => {
    for (const w of [waiting('ana', { expiresAt: at(0), expectedReadyAt: at(1), expectedFor: 'create' }), waiting('ana'), waiting('bo', { expectedReadyAt: at(1), expectedFor: 'create' })]) {
      const p = place(view([full('0')]), [], [w], ana, NOW);
      expect(p).toMatchObject({ estimatedReadyAt: new Date(at(5)), expectedFor: 'create' });
      expect(p).not.toHaveProperty('estimateMoved');
    }
  });
});

describe('positionOf', () => {
  it('is 1 + everyone live already waiting, for someone not queued yet', () => {
    expect(positionOf([waiting('bo'), waiting('cy', { expiresAt: at(0) }), waiting('di', { since: at(0) })], ana, NOW)).toBe(3);
  });

  it('is 1 + the live people who asked earlier, for someone queued', () => {
    const queue = [waiting('bo', { since: at(-5) }), waiting('ana', { since: at(-3) }), waiting('cy', { since: at(-3) }), waiting('di', { since: at(-1) }), waiting('ed', { since: at(-9), expiresAt: at(0) })];
    expect(positionOf(queue, ana, NOW)).toBe(2);
  });

  it('is 1 for the only one waiting, and ignores an expired row of their own', () => {
    expect(positionOf([waiting('ana')], ana, NOW)).toBe(1);
    expect(positionOf([waiting('ana', { expiresAt: at(0) }), waiting('bo', { since: at(1) })], ana, NOW)).toBe(2);
  });
});

describe('place() edge cases', () => {
  it('holds a new seat on the home VM when only someone else has a session of the kind asked', () => {
    const home = vm('2', 2, { sessions: { known: true, count: 2, users: [{ user: 'bo', kind: 'jupyter' }, { user: 'ana', kind: 'ssh' }] } });
    expect(place(view([home]), [], [], ana, NOW)).toMatchObject({ instanceId: '2', by: 'affinity', reserve: true });
  });

  it('holds a new seat on the home VM when the seat held there is of the other kind', () => {
    const home = vm('2', 1, { sessions: { known: true, count: 1, users: [{ user: 'ana', kind: 'ssh' }] } });
    expect(place(view([home]), [seats('2', held('ana', { kind: 'ssh' }))], [], ana, NOW)).toMatchObject({ instanceId: '2', by: 'affinity', reserve: true });
  });

  it('needs no new seat where seats of both kinds are held for the person', () => {
    expect(place(view([vm('0', 0), vm('1', 0)]), [seats('1', held('ana', { kind: 'ssh' }), held('ana'))], [], ana, NOW)).toMatchObject({ instanceId: '1', by: 'reservation', reserve: false });
  });

  it('takes a running VM before a fuller coming VM that has no expected time', () => {
    const p = place(view([coming('0', 'creating', undefined), vm('1', 1)]), [seats('0', held('bo'), held('cy'))], [], ana, NOW);
    expect(p).toMatchObject({ instanceId: '1', ready: true });
  });
});

