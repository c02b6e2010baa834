// What the broker adds to an evaluation's demand: seats held per VM (live reservations not yet used, judged by the
// freshest sessions known) and the people waiting who hold no live reservation.
import { describe, expect, it } from 'vitest';
import type { PoolPartition } from '../../../src/broker/broker-store.port.js';
import { brokerDemand } from '../../../src/broker/demand.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { Reservation, WaitingUser } from '../../../src/broker/reservation.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const at = (m: number) => new Date(NOW.getTime() + m * MIN).toISOString();
const r = (user: string, o: Partial<Reservation> = {}): Reservation => ({ user, kind: 'jupyter', reservedAt: at(-1), expiresAt: at(5), ...o });
const w = (user: string, o: Partial<WaitingUser> = {}): WaitingUser => ({ user, kind: 'jupyter', since: at(-1), expiresAt: at(4), ...o });
const vm = (id: string, users: ViewInstance['sessions']['users'] = []): ViewInstance => ({
  instanceId: id, state: 'running', sessions: { known: true, count: users.length, users }, draining: false, removing: false, endpoints: {},
});
const view = (instances: ViewInstance[]): PoolView => ({
  pool: 'p', writtenAt: NOW.toISOString(), seatsPerInstance: 2, maxInstances: 5, placement: 'depth-first', reservationMinutes: 10, scaleSet: { provisioningState: 'Succeeded' }, instances,
});

describe('brokerDemand', () => {
  it('counts live, unused reservations per VM and leaves out VMs that hold none', () => {
    const partition: PoolPartition = {
      view: view([vm('0', [{ user: 'ana', kind: 'jupyter' }]), vm('1'), vm('2')]),
      seats: [
        { instanceId: '0', reservations: [r('ana'), r('bo'), r('cy', { kind: 'ssh' })] },
        { instanceId: '1', reservations: [r('di', { expiresAt: at(0) })] },
        { instanceId: '2', reservations: [] },
      ],
      waiting: [],
    };
    expect(brokerDemand(partition, NOW)).toEqual({ reservedByInstance: new Map([['0', 2]]), waiting: 0 });
  });

  it('judges use by the fresh reports over the previous view', () => {
    const partition: PoolPartition = {
      view: view([vm('0', [{ user: 'ana', kind: 'jupyter' }]), vm('1')]),
      seats: [{ instanceId: '0', reservations: [r('ana')] }, { instanceId: '1', reservations: [r('bo')] }],
      waiting: [],
    };
    // VM 0's report no longer shows ana (seat still held); VM 1's report now shows bo (seat used).
    const fresh = new Map([['0', vm('0')], ['1', vm('1', [{ user: 'bo', kind: 'jupyter' }])]]);
    expect(brokerDemand(partition, NOW, fresh).reservedByInstance).toEqual(new Map([['0', 1]]));
  });

  it('counts a reservation on a VM no view knows', () => {
    const partition: PoolPartition = { seats: [{ instanceId: '7', reservations: [r('ana')] }], waiting: [] };
    expect(brokerDemand(partition, NOW).reservedByInstance).toEqual(new Map([['7', 1]]));
  });

  it('counts live waiting people who hold no live reservation', () => {
    const partition: PoolPartition = {
      view: view([vm('0', [{ user: 'bo', kind: 'jupyter' }])]),
      seats: [{ instanceId: '0', reservations: [r('ana'), r('bo'), r('cy', { expiresAt: at(0) })] }],
      waiting: [
        w('ana'), // holds a live seat
        w('bo'), // holds a live reservation, already used: not waiting either
        w('cy'), // their reservation expired: waiting again
        w('di'),
        w('ed', { expiresAt: at(0) }), // stopped asking
        w('fa', { expiresAt: new Date(NOW.getTime() + 1).toISOString() }),
      ],
    };
    expect(brokerDemand(partition, NOW).waiting).toBe(3);
  });
});
