// The one schema of a VMSS pool policy: validation, defaults, the TypeScript type, OpenAPI and error messages all
// come from here. A `policies` table row stores scalars; `schedules` is a JSON string column.
import { z } from 'zod';
import '../zod-messages.js'; // plain field messages for a policy row's problems
import { normalizedRow, tableBoolean, tableNumber } from '../policies/table-cells.js';
import type { FieldProblem } from './errors.js';
import { END_OF_DAY, isTimeZone, WEEKDAYS, type ScheduleWindow } from './schedule.js';

const VMSS_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/[^/]+$/i;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Table cells edited by hand arrive as strings ("True", "3") or Int64 cells; table-cells.ts reads each shape. */
const bool = tableBoolean;
const count = (fallback: number, min: number, max: number) =>
  tableNumber(
    z
      .number({ message: 'must be a whole number' })
      .int({ message: 'must be a whole number' })
      .min(min, { message: `must be at least ${min}` })
      .max(max, { message: `must be at most ${max}` }),
  ).default(fallback);

export const scheduleWindowSchema = z
  .object({
    days: z
      .array(z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` }))
      .min(1, { message: 'must name at least one day' })
      .default(['mon', 'tue', 'wed', 'thu', 'fri'])
      .describe('Days on which the window starts (sun … sat). Default: mon–fri.'),
    from: z.string().regex(HHMM, { message: 'must be a local time "HH:MM"' }).describe('Local start time, "HH:MM".'),
    to: z
      .string()
      .refine((t) => HHMM.test(t) || t === END_OF_DAY, { message: 'must be a local time "HH:MM" (or "24:00" for midnight at the end of the day)' })
      .describe('Local end time, "HH:MM" (exclusive); to ≤ from means the window runs past midnight; "24:00" ends it at midnight, so "00:00"–"24:00" is the whole day.'),
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. "Europe/Berlin"' })
      .default('UTC')
      .describe('IANA time zone of from/to. Default UTC.'),
    minInstances: count(1, 0, 1000).describe('VMs kept running or starting while the window is in force. Default 1.'),
    name: z.string().max(64).optional().describe('Label shown in reasons, e.g. "office hours".'),
  })
  .strict()
  .refine((w) => w.from !== w.to, { message: 'must differ from "from"; for the whole day write from "00:00" to "24:00"', path: ['to'] });

/** `schedules` is a JSON string in the table and may be either a string or an array in the API. */
const schedules = z
  .preprocess((v, ctx) => {
    if (typeof v !== 'string') return v;
    if (v.trim() === '') return [];
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of schedule windows', input: v });
      return z.NEVER;
    }
  }, z.array(scheduleWindowSchema).max(50, { message: 'at most 50 windows' }))
  .default([])
  .describe('Warm capacity windows: JSON list of {days, from, to, timeZone, minInstances, name?}. Default [].');

export const vmssPolicyFields = {
  kind: z.literal('vmss', { message: 'must be "vmss" for a VM scale set pool' }).describe('Row kind; `vmss` rows are handled by autoscale.'),
  target: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required: the scale set resource id' : undefined) })
    .regex(VMSS_ID, {
      message: 'must be a scale set resource id: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}',
    })
    .describe('Resource id of the VM scale set.'),
  enabled: bool(true).describe('Whether autoscale manages the pool at all. Default true.'),
  dryRun: bool(false).describe('Decide and record events, but change nothing. Default false.'),
  minInstances: count(0, 0, 1000).describe('VMs always kept running. Default 0.'),
  maxInstances: count(10, 1, 1000).describe('Most VMs running or starting at once. Default 10.'),
  seatsPerInstance: count(4, 1, 1000).describe('Sessions one VM serves well. Default 4.'),
  // Defaults chosen by the simulator's sweep with the connection broker placing people (README "Policies"): no
  // session killed at any metric delay, p95 seat wait within a boot, then cost.
  spareSeats: count(0, 0, 10000).describe('Free seats kept ready while anyone is on. Default 0.'),
  idleMinutesBeforeScaleIn: count(5, 5, 1440).describe('Minutes a VM must have had 0 sessions before it may go. Default 5.'),
  scaleToZero: bool(true).describe('Whether the pool may go to 0 VMs when everyone is gone. Default true.'),
  scaleInAction: z
    .enum(['deallocate', 'delete'], { message: 'must be "deallocate" or "delete"' })
    .default('deallocate')
    .describe(
      'deallocate (keeps the disk, restarts in about a minute) or delete. Default deallocate. With deallocate, VMs beyond maxDeallocated are deleted instead (so maxDeallocated 0 deletes).',
    ),
  scaleOutCooldownMinutes: count(2, 0, 120).describe('Minutes after a scale-out before the next one. Default 2.'),
  scaleInCooldownMinutes: count(10, 0, 1440).describe('Minutes after any scale action before a scale-in. Default 10.'),
  maxScaleOutStep: count(5, 1, 1000).describe('Most VMs started or added in one evaluation. Default 5.'),
  schedules,
  drainBeforeScaleIn: bool(true).describe(
    'Before removing an idle VM, block new sessions on it and count its sessions there (Run Command); keep it if any. Default true.',
  ),
  wakeHoldMinutes: count(30, 1, 1440).describe('How long a wake request (POST /wake) keeps one VM up. Default 30.'),
  maxDeallocated: count(0, 0, 1000).describe(
    'Most deallocated VMs kept for fast restart; beyond it idle VMs are deleted (their disks cost money). Default 0.',
  ),
  deallocateStoppedAfterMinutes: count(15, 5, 240).describe(
    'A VM stopped but still allocated (powered off inside, or a power-off call) is billed as if running; it is deallocated after this many minutes stopped. Default 15.',
  ),
  placement: z
    .enum(['depth-first', 'breadth-first'], { message: 'must be "depth-first" or "breadth-first"' })
    .default('depth-first')
    .describe(
      'Where the connection broker puts a new user: depth-first (the fullest VM with a free seat, so others empty and can go) or breadth-first (the emptiest). Default depth-first.',
    ),
  connectUrl: z
    .url({ message: 'must be an absolute http(s) URL' })
    .refine((u) => /^https?:\/\//.test(u), { message: 'must be an absolute http(s) URL' })
    .optional()
    .describe('Where GET /connect sends a user once a VM is ready, e.g. the JupyterHub behind the load balancer.'),
};

export const vmssPolicySchema = z
  .object(vmssPolicyFields)
  .strict()
  .superRefine((p, ctx) => {
    // Zod runs this even when a field failed; compare only against a valid maxInstances.
    if (!Number.isInteger(p.maxInstances) || p.maxInstances < 1) return;
    if (p.minInstances > p.maxInstances) {
      ctx.addIssue({ code: 'custom', path: ['minInstances'], message: `must not exceed maxInstances (${p.maxInstances})` });
    }
    (Array.isArray(p.schedules) ? p.schedules : []).forEach((w, i) => {
      if (w.minInstances > p.maxInstances) {
        ctx.addIssue({ code: 'custom', path: ['schedules', i, 'minInstances'], message: `must not exceed maxInstances (${p.maxInstances})` });
      }
    });
  });

export type VmssPolicy = z.infer<typeof vmssPolicySchema> & { schedules: ScheduleWindow[] };
export type VmssPolicyInput = z.input<typeof vmssPolicySchema>;

/** Table and OData bookkeeping columns that are not policy fields. */
const SYSTEM_COLUMNS = /^(partitionKey|rowKey|PartitionKey|RowKey|timestamp|Timestamp|etag|odata\..*|.*@odata\.type)$/;

export function withoutSystemColumns(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !SYSTEM_COLUMNS.test(k)));
}

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ field: [...i.path, k].join('.'), reason: 'is not a policy field (check the spelling)' }));
    }
    return [{ field: i.path.map(String).join('.') || '(row)', reason: i.message }];
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Parses a `policies` row or an API body into a policy with every default filled in. */
export function parseVmssPolicy(input: Record<string, unknown>): Parsed<VmssPolicy> {
  const r = vmssPolicySchema.safeParse(normalizedRow(withoutSystemColumns(input)));
  return r.success ? { ok: true, value: r.data as VmssPolicy } : { ok: false, problems: fieldProblems(r.error) };
}

/** The scalar row a policy is stored as: every field explicit, schedules as JSON. */
export function vmssPolicyToRow(p: VmssPolicy): Record<string, string | number | boolean> {
  const { schedules: windows, connectUrl, ...scalars } = p;
  return { ...scalars, schedules: JSON.stringify(windows), ...(connectUrl ? { connectUrl } : {}) };
}
