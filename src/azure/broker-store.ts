// The BrokerStore over the `poolbroker` table: PartitionKey = pool; RowKey `view` (the pool view as JSON),
// `seats~{instanceId}` (that VM's reservations as JSON, ETag-conditional) and `wait~{user}` (one waiting user).
// A connect reads the partition with one query and writes one row. Storage errors are classified here (table-errors).
import { odata, type TableClient } from '@azure/data-tables';
import { BrokerError } from '../broker/errors.js';
import type { BrokerStore } from '../broker/broker-store.port.js';
import type { PoolView } from '../broker/pool-view.js';
import type { Reservation, WaitingUser } from '../broker/reservation.js';
import { classifyTableError, tableCall } from './table-errors.js';

const VIEW = 'view';
const SEATS = 'seats~';
const WAIT = 'wait~';
const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;
/** RowKeys may not hold / \ # ? or control characters; user names are encoded. */
const key = (s: string) => encodeURIComponent(s).replace(/%/g, '$');

interface Row {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  json?: string;
  user?: string;
  kind?: string;
  since?: string;
  expiresAt?: string;
  expectedReadyAt?: string;
  expectedFor?: string;
}

export function createBrokerStore(table: TableClient): BrokerStore {
  return {
    async read(pool, options) {
      const out: Awaited<ReturnType<BrokerStore['read']>> = { seats: [], waiting: [] };
      const rows = table.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${pool}` }, abortSignal: options?.abortSignal });
      await tableCall(`reading pool "${pool}"'s broker rows`, async () => {
        for await (const row of rows) {
          if (row.rowKey === VIEW && row.json) {
            out.view = JSON.parse(row.json) as PoolView;
            out.viewEtag = row.etag;
          }
          else if (row.rowKey.startsWith(SEATS)) {
            out.seats.push({ instanceId: decodeURIComponent(row.rowKey.slice(SEATS.length).replace(/\$/g, '%')), reservations: JSON.parse(row.json ?? '[]') as Reservation[], etag: row.etag });
          } else if (row.rowKey.startsWith(WAIT) && row.user) {
            out.waiting.push({
              user: row.user, kind: row.kind as WaitingUser['kind'], since: row.since ?? '', expiresAt: row.expiresAt ?? '',
              ...(row.expectedReadyAt ? { expectedReadyAt: row.expectedReadyAt } : {}),
              ...(row.expectedFor === 'start' || row.expectedFor === 'create' ? { expectedFor: row.expectedFor } : {}),
            });
          }
        }
      });
      return out;
    },
    async writeSeats(pool, seats, options) {
      const entity = { partitionKey: pool, rowKey: SEATS + key(seats.instanceId), json: JSON.stringify(seats.reservations) };
      try {
        if (seats.etag) await table.updateEntity(entity, 'Replace', { etag: seats.etag, abortSignal: options?.abortSignal });
        else await table.createEntity(entity, { abortSignal: options?.abortSignal });
      } catch (e) {
        if (statusOf(e) === 409 || statusOf(e) === 412) throw new BrokerError('SEAT_CONFLICT', `VM ${seats.instanceId}'s seats changed since they were read`, { cause: e });
        throw classifyTableError(`writing VM ${seats.instanceId}'s seats in pool "${pool}"`, e);
      }
    },
    async writeWaiting(pool, w, options) {
      await tableCall(`queueing a user in pool "${pool}"`, () => table.upsertEntity({ partitionKey: pool, rowKey: WAIT + key(w.user), user: w.user, kind: w.kind, since: w.since, expiresAt: w.expiresAt, ...(w.expectedReadyAt ? { expectedReadyAt: w.expectedReadyAt, expectedFor: w.expectedFor } : {}) }, 'Replace', { abortSignal: options?.abortSignal }));
    },
    async removeWaiting(pool, user, options) {
      await tableCall(`removing a waiting user in pool "${pool}"`, () => ignore404(table.deleteEntity(pool, WAIT + key(user), { abortSignal: options?.abortSignal })));
    },
    async writeView(view, options) {
      await tableCall(`writing pool "${view.pool}"'s view`, () => table.upsertEntity({ partitionKey: view.pool, rowKey: VIEW, json: JSON.stringify(view) }, 'Replace', { abortSignal: options?.abortSignal }));
    },
    async removeSeats(pool, instanceIds, options) {
      await tableCall(`removing seats rows in pool "${pool}"`, () => Promise.all(instanceIds.map((id) => ignore404(table.deleteEntity(pool, SEATS + key(id), { abortSignal: options?.abortSignal })))));
    },
  };
}

async function ignore404(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}
