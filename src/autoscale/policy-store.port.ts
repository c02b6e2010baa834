// The `policies` table as autoscale sees it: raw rows (validated by the caller, so an invalid hand-edited row is
// reported rather than hidden) and validated writes from the admin API.
export interface PolicyRow {
  pool: string;
  /** The row's columns without the table's bookkeeping; validated by parsePolicy(). */
  fields: Record<string, unknown>;
}

export interface PolicyStore {
  list(): Promise<PolicyRow[]>;
  get(pool: string): Promise<PolicyRow | undefined>;
  /** Replaces the pool's row with the given scalar columns. */
  put(pool: string, row: Record<string, string | number | boolean>): Promise<void>;
}
