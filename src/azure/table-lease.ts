// The LeasePort over the `leases` table: one row per pool, taken with an ETag-conditional write. Whether a lease is
// held is judged from its expiry time, never from a flag, so a crashed holder frees the pool when it expires.
import type { TableClient } from '@azure/data-tables';
import type { Lease, LeasePort } from '../autoscale/lease.port.js';
import { classifyTableError } from './table-errors.js';

const PARTITION = 'autoscale';

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;

export function createTableLease(table: TableClient): LeasePort {
  return {
    async acquire(pool, holder, now, durationMs) {
      const expiresAt = new Date(now.getTime() + durationMs);
      const entity = { partitionKey: PARTITION, rowKey: pool, holder, expiresAt: expiresAt.toISOString() };
      let current: { etag: string; expiresAt?: unknown } | undefined;
      try {
        current = await table.getEntity<{ expiresAt?: string }>(PARTITION, pool);
      } catch (e) {
        if (statusOf(e) !== 404) throw classifyTableError(`read the lease of ${pool}`, e);
      }
      try {
        if (!current) {
          const created = await table.createEntity(entity);
          return { pool, holder, expiresAt, version: created.etag ?? '' };
        }
        if (new Date(String(current.expiresAt)).getTime() > now.getTime()) return undefined;
        const updated = await table.updateEntity(entity, 'Replace', { etag: current.etag });
        return { pool, holder, expiresAt, version: updated.etag ?? '' };
      } catch (e) {
        // 409: created by someone else first; 412: taken over by someone else first.
        if (statusOf(e) === 409 || statusOf(e) === 412) return undefined;
        throw classifyTableError(`take the lease of ${pool}`, e);
      }
    },
    async release(lease: Lease) {
      try {
        await table.deleteEntity(PARTITION, lease.pool, { etag: lease.version });
      } catch (e) {
        if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
      }
    },
  };
}
