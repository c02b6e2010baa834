// Policy rows are edited by hand (Storage Explorer, `az storage entity`), so a cell may come back from the table in
// several shapes for one value. These read each shape the same way, for both kinds of policy row.
import { z } from 'zod';

/**
 * One cell's plain value. A 64-bit integer cell (Edm.Int64, what `az storage entity` and other tools write for
 * numbers) comes back from @azure/data-tables 13 as a `bigint` (which JSON cannot serialize), or, with type
 * conversion off, as `{ value: "123", type: "Int64" }`. A safe integer becomes a number; a larger one stays text
 * (and fails the range checks by name).
 */
export function cellValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
  const cell = v as { value?: unknown; type?: unknown };
  if (typeof cell.type !== 'string' || !('value' in cell)) return v;
  if (cell.type === 'Int64' && typeof cell.value === 'string') {
    const n = Number(cell.value);
    return Number.isSafeInteger(n) ? n : cell.value;
  }
  return cell.value;
}

/** The row kind, compared case-insensitively ("Batch" is `batch`); undefined when the cell is not text. */
export function kindOf(fields: Record<string, unknown>): string | undefined {
  const kind = cellValue(fields.kind);
  return typeof kind === 'string' ? kind.trim().toLowerCase() : undefined;
}

/** A row with every cell read by cellValue and `kind` in lower case, ready for the policy schemas. */
export function normalizedRow(fields: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, cellValue(v)]));
  const kind = kindOf(fields);
  if (kind !== undefined) out.kind = kind;
  return out;
}

/** true/false, also as text in any case with surrounding spaces ("True", " FALSE "), as the README promises. */
export const tableBoolean = (fallback: boolean) =>
  z
    .preprocess((v) => {
      const c = cellValue(v);
      if (typeof c !== 'string') return c;
      const t = c.trim().toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : c;
    }, z.boolean({ message: 'must be true or false' }))
    .default(fallback);

/** A number, also as text ("3", " 2.5 ") or as an Int64 cell. */
export const tableNumber = <T extends z.ZodType>(inner: T) =>
  z.preprocess((v) => {
    const c = cellValue(v);
    return typeof c === 'string' && c.trim() !== '' && !Number.isNaN(Number(c)) ? Number(c) : c;
  }, inner);
