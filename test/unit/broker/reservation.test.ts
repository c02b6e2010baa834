// Reservations and waiting rows expire by time (judged against now on every read), and a reservation stops holding a
// seat once the VM reports that user's session of that kind.
import { describe, expect, it } from 'vitest';
import { holding, isConsumed, isLive, type Reservation } from '../../../src/broker/reservation.js';
import type { ViewInstance } from '../../../src/broker/pool-view.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const after = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const reservation = (o: Partial<Reservation> = {}): Reservation => ({ user: 'ana', kind: 'jupyter', reservedAt: after(-60_000), expiresAt: after(60_000), ...o });
const on = (...users: ViewInstance['sessions']['users']): Pick<ViewInstance, 'sessions'> => ({ sessions: { known: true, count: users.length, users } });

describe('isLive', () => {
  it.each([
    ['1 ms after now', 1, true],
    ['exactly now (the first expired moment)', 0, false],
    ['1 ms before now', -1, false],
  ])('a row expiring %s is live: %s', (_when, ms, live) => {
    expect(isLive({ expiresAt: after(ms) }, NOW)).toBe(live);
  });
});

describe('isConsumed', () => {
  it('is consumed when the VM reports that user with that kind of session', () => {
    expect(isConsumed(reservation(), on({ user: 'bo', kind: 'ssh' }, { user: 'ana', kind: 'jupyter' }))).toBe(true);
  });

  it.each([
    ['the same user with the other kind', on({ user: 'ana', kind: 'ssh' })],
    ['another user with the same kind', on({ user: 'bo', kind: 'jupyter' })],
    ['no session', on()],
    ['no VM known', undefined],
  ])('is not consumed by %s', (_what, vm) => {
    expect(isConsumed(reservation(), vm)).toBe(false);
  });
});

describe('holding', () => {
  it('keeps the live reservations nobody has used yet, in order', () => {
    const live = reservation({ user: 'bo' });
    const used = reservation({ user: 'ana' });
    const expired = reservation({ user: 'cy', expiresAt: after(0) });
    const lastLive = reservation({ user: 'di', kind: 'ssh', expiresAt: after(1) });
    expect(holding({ instanceId: '0', reservations: [live, used, expired, lastLive] }, on({ user: 'ana', kind: 'jupyter' }), NOW)).toEqual([live, lastLive]);
  });

  it('holds nothing without a seats row', () => {
    expect(holding(undefined, on(), NOW)).toEqual([]);
  });

  it('holds every live reservation on a VM the view does not know', () => {
    const r = reservation();
    expect(holding({ instanceId: '0', reservations: [r] }, undefined, NOW)).toEqual([r]);
  });
});
