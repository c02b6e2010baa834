// Batch policy rows (kind `batch`) from table `policies`, PartitionKey `pool`. Rows of kind `vmss` belong to
// autoscale; an invalid batch row is reported and skipped, the other pools carry on.
import { odata, type TableClient } from '@azure/data-tables';
import type { BatchPolicySet, BatchPolicySource } from '../jobs/batch-policy-source.port.js';
import { batchPolicySchema } from '../jobs/batch-policy.js';
import { kindOf, normalizedRow } from '../policies/table-cells.js';
import { classifyStorageError } from './job-store-errors.js';

const SYSTEM = /^(partitionKey|rowKey|PartitionKey|RowKey|timestamp|Timestamp|etag|odata\..*|.*@odata\.type)$/;

/**
 * The batch policies, each `list()` a read of the table unless the last read is younger than `cacheMs` (default 0: no
 * cache) on the `now` clock (ms since the epoch; default Date.now, the service passes the app clock). `fresh` always
 * reads. Storage errors are classified (STORAGE_UNAVAILABLE …) and thrown.
 */
export function createBatchPolicySource(table: TableClient, options: { cacheMs?: number; now?: () => number } = {}): BatchPolicySource {
  const cacheMs = options.cacheMs ?? 0;
  const now = options.now ?? Date.now;
  let cached: { at: number; set: BatchPolicySet } | undefined;
  return {
    async list(options = {}) {
      if (cached && !options.fresh && now() - cached.at < cacheMs) return cached.set;
      const set: BatchPolicySet = { policies: [], invalid: [], vmPools: [] };
      try {
        // kind is matched here, not in the filter: a hand-edited row may say "Batch".
        const filter = odata`PartitionKey eq ${'pool'}`;
        for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
          const fields = Object.fromEntries(Object.entries(row).filter(([k]) => !SYSTEM.test(k)));
          if (kindOf(fields) !== 'batch') {
            set.vmPools!.push(row.rowKey!);
            continue;
          }
          const parsed = batchPolicySchema.safeParse(normalizedRow(fields));
          const name = row.rowKey!;
          if (parsed.success) set.policies.push({ ...parsed.data, name });
          else set.invalid.push({ name, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'} ${i.message}`) });
        }
      } catch (error) {
        throw classifyStorageError('reading batch policies', error);
      }
      cached = { at: now(), set };
      return set;
    },
  };
}
