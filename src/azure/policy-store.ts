// The PolicyStore port over the `policies` table (PartitionKey "pool", RowKey = pool name).
import { odata, type TableClient } from '@azure/data-tables';
import type { PolicyRow, PolicyStore } from '../autoscale/policy-store.port.js';
import { withoutSystemColumns } from '../autoscale/policy.js';

const PARTITION = 'pool';

export function createPolicyStore(table: TableClient): PolicyStore {
  const toRow = (e: Record<string, unknown>): PolicyRow => ({ pool: String(e.rowKey), fields: withoutSystemColumns(e) });
  return {
    async list() {
      const rows: PolicyRow[] = [];
      for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) rows.push(toRow(e));
      return rows;
    },
    async get(pool) {
      try {
        return toRow(await table.getEntity<Record<string, unknown>>(PARTITION, pool));
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },
    async put(pool, row) {
      await table.upsertEntity({ partitionKey: PARTITION, rowKey: pool, ...row }, 'Replace');
    },
  };
}
