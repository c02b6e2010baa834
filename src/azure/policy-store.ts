// The PolicyStore port over the `policies` table (PartitionKey "pool", RowKey = pool name).
import { odata, type TableClient } from '@azure/data-tables';
import type { PolicyRow, PolicyStore } from '../autoscale/policy-store.port.js';
import { withoutSystemColumns } from '../autoscale/policy.js';
import { classifyTableError, tableCall } from './table-errors.js';

const PARTITION = 'pool';

export function createPolicyStore(table: TableClient): PolicyStore {
  const toRow = (e: Record<string, unknown>): PolicyRow => ({ pool: String(e.rowKey), fields: withoutSystemColumns(e) });
  return {
    list: () =>
      tableCall('list policies', async () => {
        const rows: PolicyRow[] = [];
        for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) rows.push(toRow(e));
        return rows;
      }),
    async get(pool) {
      try {
        return toRow(await table.getEntity<Record<string, unknown>>(PARTITION, pool));
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw classifyTableError(`read the policy of ${pool}`, e);
      }
    },
    put: (pool, row) => tableCall(`write the policy of ${pool}`, async () => void (await table.upsertEntity({ partitionKey: PARTITION, rowKey: pool, ...row }, 'Replace'))),
  };
}
