// The pool lease over a real table (Azurite): two app instances racing for one pool, expiry judged from time, and a
// holder whose lease was taken over cannot release the new holder's lease.
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableLease } from '../../../src/azure/table-lease.js';
import { createAppStorage } from '../../../src/local/app-storage.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';

let azurite: TestAzurite;
let table: TableClient;
const T0 = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

beforeAll(async () => {
  azurite = await startAzurite();
  await createAppStorage(azurite.connectionString);
  table = TableClient.fromConnectionString(azurite.connectionString, 'leases', { allowInsecureConnection: true });
});
afterAll(async () => {
  await azurite?.stop();
});

describe('table lease', () => {
  it('gives a free pool to exactly one of many concurrent callers', async () => {
    const leases = [createTableLease(table), createTableLease(table), createTableLease(table)];
    const got = await Promise.all(leases.flatMap((l, i) => [l.acquire('race', `app-${i}-a`, T0, 60_000), l.acquire('race', `app-${i}-b`, T0, 60_000)]));
    expect(got.filter(Boolean)).toHaveLength(1);
  });

  it('is held until it expires, then taken over; the old holder cannot release the new lease', async () => {
    const a = createTableLease(table);
    const b = createTableLease(table);
    const first = await a.acquire('expiry', 'a', T0, 3 * 60_000);
    expect(first).toBeDefined();
    expect(await b.acquire('expiry', 'b', at(2), 3 * 60_000)).toBeUndefined();
    const second = await b.acquire('expiry', 'b', at(4), 3 * 60_000);
    expect(second).toMatchObject({ holder: 'b' });
    await a.release(first!);
    expect(await a.acquire('expiry', 'a', at(5), 3 * 60_000)).toBeUndefined();
    await b.release(second!);
    expect(await a.acquire('expiry', 'a', at(5), 3 * 60_000)).toMatchObject({ holder: 'a' });
  });
});
