// Table Storage trouble in the broker's store is classified like the autoscale stores' (STORAGE_THROTTLED /
// STORAGE_UNAVAILABLE / STORAGE_FAILED → 503 / 503 / 502), while a lost ETag race stays the broker's SEAT_CONFLICT.
import { describe, expect, it } from 'vitest';
import { createBrokerStore } from '../../../src/azure/broker-store.js';
import { failingTable, restError } from '../../support/failing-table.js';

const view = { pool: 'p', writtenAt: new Date(0).toISOString() } as unknown as Parameters<ReturnType<typeof createBrokerStore>['writeView']>[0];

describe('broker store classifies Table Storage errors', () => {
  it.each([
    [429, 'STORAGE_THROTTLED'],
    [503, 'STORAGE_THROTTLED'],
    [500, 'STORAGE_UNAVAILABLE'],
    [400, 'STORAGE_FAILED'],
  ])('%i → %s on every store call', async (status, code) => {
    const store = createBrokerStore(failingTable(restError(status)));
    const calls = [
      store.read('p'),
      store.writeSeats('p', { instanceId: '0', reservations: [] }),
      store.writeWaiting('p', { user: 'u@example.com', kind: 'jupyter', since: new Date(0).toISOString(), expiresAt: new Date(0).toISOString() }),
      store.removeWaiting('p', 'u@example.com'),
      store.writeView(view),
      store.removeSeats('p', ['0']),
    ];
    for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'AutoscaleError', code });
  });

  it.each([409, 412])('keeps a %i on the seats row as SEAT_CONFLICT (re-read and place again)', async (status) => {
    const store = createBrokerStore(failingTable(restError(status)));
    await expect(store.writeSeats('p', { instanceId: '0', reservations: [], etag: 'W/"1"' })).rejects.toMatchObject({ name: 'BrokerError', code: 'SEAT_CONFLICT' });
  });

  it('lets a missing row pass where deleting it is the point', async () => {
    const store = createBrokerStore(failingTable(restError(404)));
    await expect(store.removeWaiting('p', 'u@example.com')).resolves.toBeUndefined();
    await expect(store.removeSeats('p', ['0'])).resolves.toBeUndefined();
  });
});
