// The `policies` table holds one row per pool; `kind` says which part of the product reads it. This module is the
// one schema over both kinds: autoscale owns `vmss`, the job service owns `batch` (src/jobs/batch-policy.ts).
import { z } from 'zod';
import { fieldProblems, vmssPolicySchema, withoutSystemColumns, type Parsed, type VmssPolicy } from '../autoscale/policy.js';
import { batchPolicySchema, type BatchPolicy } from '../jobs/batch-policy.js';
import { normalizedRow } from './table-cells.js';

export const policySchema = z.discriminatedUnion('kind', [vmssPolicySchema, batchPolicySchema], {
  error: 'must be "vmss" (a VM scale set pool) or "batch" (an Azure Batch pool)',
});

export type Policy = VmssPolicy | BatchPolicy;

/** Validates a row or an API body of either kind; problems name each bad field. */
export function parsePolicy(input: Record<string, unknown>): Parsed<Policy> {
  const r = policySchema.safeParse(normalizedRow(withoutSystemColumns(input)));
  if (r.success) return { ok: true, value: r.data as Policy };
  return { ok: false, problems: fieldProblems(r.error).map((p) => (p.field === '(row)' ? { ...p, field: 'kind' } : p)) };
}
