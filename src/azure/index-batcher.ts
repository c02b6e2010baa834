// Group commit for the jobs table's index rows. Every submit writes two index rows (partitions `active` and `all`)
// before its record; written one by one they doubled the storage calls of a submit. Rows handed in while a commit is
// in flight (or in the same turn of the event loop) go out together: one batch transaction per partition, at most
// 100 entities each (the Table batch limit). Upserts never conflict, so one caller's row cannot fail another's.
import type { TableClient, TransactionAction } from '@azure/data-tables';

const MAX_PER_TRANSACTION = 100;

interface Pending {
  entity: { partitionKey: string; rowKey: string; [k: string]: unknown };
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class IndexBatcher {
  private waiting: Pending[] = [];
  private flushing = false;
  /** Transactions sent and rows written, for benchmarks. */
  readonly stats = { transactions: 0, rows: 0 };

  constructor(private readonly table: TableClient) {}

  /** Resolves when the row is durably written (upsert, replace). */
  upsert(entity: Pending['entity']): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entity, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      const byPartition = new Map<string, Pending[]>();
      for (const p of batch) byPartition.set(p.entity.partitionKey, [...(byPartition.get(p.entity.partitionKey) ?? []), p]);
      const sends: Promise<void>[] = [];
      for (const group of byPartition.values()) {
        // The same row twice in one transaction is an error; the later write wins anyway.
        const unique = new Map(group.map((p) => [p.entity.rowKey, p]));
        const rows = [...unique.values()];
        for (let i = 0; i < rows.length; i += MAX_PER_TRANSACTION) sends.push(this.commit(rows.slice(i, i + MAX_PER_TRANSACTION), group));
      }
      await Promise.all(sends);
    }
    this.flushing = false;
  }

  private async commit(rows: Pending[], group: Pending[]): Promise<void> {
    const keys = new Set(rows.map((r) => r.entity.rowKey));
    const settle = group.filter((p) => keys.has(p.entity.rowKey));
    try {
      this.stats.transactions++;
      this.stats.rows += rows.length;
      if (rows.length === 1) await this.table.upsertEntity(rows[0]!.entity, 'Replace');
      else await this.table.submitTransaction(rows.map((r): TransactionAction => ['upsert', r.entity, 'Replace']));
      for (const p of settle) p.resolve();
    } catch (error) {
      for (const p of settle) p.reject(error);
    }
  }
}
