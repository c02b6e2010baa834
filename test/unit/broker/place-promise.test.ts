// The promise a waiting user gets is stored once per wait: place() keeps it while what it rests on is unchanged,
// moves it only with a reason, and makes none on a scale set stuck in an operation.
import { describe, expect, it } from 'vitest';
import { STUCK_UPDATING_MINUTES } from '../../../src/autoscale/scale-set-busy.js';
import { place } from '../../../src/broker/place.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { WaitingUser } from '../../../src/broker/reservation.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const at = (m: number) => new Date(NOW.getTime() + m * MIN).toISOString();
const full = (id: string, state: ViewInstance['state'] = 'running'): ViewInstance => ({
  instanceId: id, state, sessions: { known: true, count: state === 'running' ? 2 : 0, users: [] }, draining: false, removing: false, endpoints: {},
  ...(state === 'creating' ? { readyAt: at(3) } : {}),
});
const view = (instances: ViewInstance[], scaleSet: PoolView['scaleSet'] = { provisioningState: 'Succeeded' }): PoolView => ({
  pool: 'p', writtenAt: NOW.toISOString(), seatsPerInstance: 2, maxInstances: 5, placement: 'depth-first', reservationMinutes: 10, scaleSet, instances,
});
const waiting = (o: Partial<WaitingUser> = {}): WaitingUser => ({ user: 'ana', kind: 'jupyter', since: at(-4), expiresAt: at(1), ...o });
const ask = { user: 'ana', kind: 'jupyter' as const };

describe('the promised time', () => {
  it('keeps the stored promise while it rests on the same thing, even once it has passed', () => {
    const p = place(view([full('0')]), [], [waiting({ expectedReadyAt: at(-1), expectedFor: 'create' })], ask, NOW);
    expect(p).toMatchObject({ outcome: 'wait', why: 'no-free-seat', estimatedReadyAt: new Date(at(-1)), expectedFor: 'create' });
    expect(p.outcome === 'wait' && p.estimateMoved).toBeFalsy();
  });

  it('moves it, and says why, when a stopped VM can be started instead of creating one', () => {
    const p = place(view([full('0'), full('1', 'deallocated')]), [], [waiting({ expectedReadyAt: at(1), expectedFor: 'create' })], ask, NOW);
    expect(p).toMatchObject({ outcome: 'wait', estimatedReadyAt: new Date(at(2)), expectedFor: 'start' });
    expect(p.outcome === 'wait' && p.estimateMoved).toMatch(/a stopped VM can now be started/);
  });

  it('makes a new promise for a new wait, without a "moved" reason', () => {
    const p = place(view([full('0')]), [], [], ask, NOW);
    expect(p).toMatchObject({ outcome: 'wait', estimatedReadyAt: new Date(at(5)), expectedFor: 'create' });
    expect(p.outcome === 'wait' && p.estimateMoved).toBeFalsy();
  });

  it('keeps the readyAt stored with a starting VM after it has passed (late, not "now")', () => {
    const p = place(view([{ ...full('0', 'creating'), readyAt: at(-2) }]), [], [], ask, NOW);
    expect(p).toMatchObject({ outcome: 'placed', ready: false, readyAt: new Date(at(-2)) });
  });
});

describe('a scale set stuck in an operation', () => {
  const stuck = { provisioningState: 'Updating', busySince: at(-(STUCK_UPDATING_MINUTES + 1)) };

  it('promises nothing, and places nobody on a VM that is not running', () => {
    const p = place(view([full('0'), { ...full('1', 'creating'), sessions: { known: true, count: 0, users: [] } }], stuck), [], [waiting({ expectedReadyAt: at(2), expectedFor: 'create' })], ask, NOW);
    expect(p).toEqual({ outcome: 'wait', position: 1, why: 'scale-set-stuck', busySince: stuck.busySince });
  });

  it('still seats people on a running VM with a free seat', () => {
    const p = place(view([{ ...full('0'), sessions: { known: true, count: 1, users: [] } }], stuck), [], [], ask, NOW);
    expect(p).toMatchObject({ outcome: 'placed', instanceId: '0', ready: true });
  });

  it('is only busy, not stuck, before the bound: the usual promise', () => {
    const p = place(view([full('0')], { provisioningState: 'Updating', busySince: at(-(STUCK_UPDATING_MINUTES - 1)) }), [], [], ask, NOW);
    expect(p).toMatchObject({ outcome: 'wait', why: 'no-free-seat', estimatedReadyAt: new Date(at(5)) });
  });
});

describe('the place in the queue', () => {
  it('earlier asks come first; people who asked in the same millisecond each get a place of their own, by name', () => {
    const queue = [waiting({ user: 'cy', since: at(-2) }), waiting({ user: 'bo', since: at(-2) }), waiting({ user: 'ana', since: at(-2) }), waiting({ user: 'dee', since: at(-3) })];
    const positions = ['ana', 'bo', 'cy', 'dee'].map((user) => {
      const p = place(view([full('0')]), [], queue, { user, kind: 'jupyter' }, NOW);
      return p.outcome === 'wait' ? p.position : 0;
    });
    expect(positions).toEqual([2, 3, 4, 1]);
  });
});
