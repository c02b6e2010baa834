// What the page shows, derived from the dashboard view: warnings in plain words with what to do, the decisions
// filter, jobs grouped as queued / running / recent. Pure (no DOM), so unit tests cover it; the page renders it.
import type { EventWire, JobWire } from './dashboard-view.js';

/** A warning as GET /api/pools gives it: a sentence today; an object with a code and first-seen time where the API has one. */
export type WarningWire = string | { code?: string; message: string; firstSeen?: string; advice?: string; instanceId?: string };

export interface WarningItem {
  code: string;
  message: string;
  firstSeen?: string;
  /** What an admin should do about it. */
  advice: string;
}

/** Advice per warning code; a sentence-only warning is matched by its words. Unknown warnings still show. */
const ADVICE: { code: string; match: RegExp; advice: string }[] = [
  { code: 'STOPPED_ALLOCATED', match: /stopped but not deallocated|stopped-but-allocated/i, advice: 'The VM was powered off from inside (e.g. sudo poweroff) and is still billed. Deallocate it in the portal or with az vmss deallocate --instance-ids, or start it again if someone needs it.' },
  { code: 'NO_SESSION_DATA', match: /no session data|reporter|silent/i, advice: "The VM's session reporter is not posting; the VM is counted as busy and is never scaled in. Check the reporter on the VM (systemctl status dsvm-session-reporter) and its Monitoring Metrics Publisher role." },
  { code: 'PROVISIONING_FAILED', match: /provisioning failed/i, advice: 'The VM gives no seats. Reimage or delete the instance; if it repeats, check the image, quota and the activity log.' },
  { code: 'ABOVE_MAX', match: /above maxInstances/i, advice: 'More VMs are up than the policy allows; only idle ones are removed. Raise maxInstances if the demand is real, or wait for people to log off.' },
  { code: 'SCALE_SET_BUSY', match: /busy|Updating/i, advice: 'The scale set has been updating for long; autoscale cannot act on it. Look at the scale set’s activity log for a stuck operation and cancel or retry it.' },
  { code: 'IDLE_SESSION', match: /idle/i, advice: 'A session has been idle for hours and keeps a VM running. Ask its owner to stop the Jupyter server or log off.' },
  { code: 'DUPLICATE_POLICY', match: /two policies|same (scale set|target)|duplicate/i, advice: 'Two pools manage one scale set and fight. Disable or delete one of the policies (PUT /api/pools/{pool}/policy).' },
];

export function warningItem(w: WarningWire): WarningItem {
  const message = typeof w === 'string' ? w : w.message;
  const code = typeof w === 'string' ? undefined : w.code;
  const known = ADVICE.find((a) => (code ? a.code === code.toUpperCase().replace(/-/g, '_') : false)) ?? ADVICE.find((a) => a.match.test(message));
  const given = typeof w === 'string' ? undefined : w.advice;
  return {
    code: code ?? known?.code ?? 'WARNING',
    message,
    firstSeen: typeof w === 'string' ? undefined : w.firstSeen,
    advice: given ?? known?.advice ?? 'Look at the pool’s newest events and its scale set in the portal.',
  };
}

export interface DecisionFilter {
  pool?: string;
  outcome?: string;
  direction?: string;
  errorsOnly?: boolean;
  text?: string;
}


/** Newest first, across pools, keeping only the rows the filter lets through. */
export function filterDecisions(groups: readonly { pool: string; events: EventWire[] }[], f: DecisionFilter): EventWire[] {
  const text = f.text?.trim().toLowerCase();
  return groups
    .flatMap((g) => g.events)
    .filter((e) => (!f.pool || e.pool === f.pool) && (!f.outcome || e.outcome === f.outcome) && (!f.direction || e.direction === f.direction))
    .filter((e) => !f.errorsOnly || e.outcome === 'failed' || e.error !== undefined || e.kind === 'policy-invalid')
    .filter((e) => !text || `${e.reason} ${e.error?.message ?? ''} ${(e.steps ?? []).join(' ')}`.toLowerCase().includes(text))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

export type JobGroup = 'queued' | 'running' | 'recent';
const QUEUED = new Set(['queued', 'dispatching', 'dispatched']);
const RUNNING = new Set(['running', 'cancelling']);

export function jobGroup(state: string): JobGroup {
  return QUEUED.has(state) ? 'queued' : RUNNING.has(state) ? 'running' : 'recent';
}

/** Jobs by group, then by pool (jobs not routed yet under "unrouted"), each newest first as the API gave them. */
export function groupJobs(jobs: readonly JobWire[], filter: { pool?: string; user?: string } = {}): Record<JobGroup, JobWire[]> {
  const out: Record<JobGroup, JobWire[]> = { queued: [], running: [], recent: [] };
  for (const j of jobs) {
    if (filter.pool && (j.pool ?? 'unrouted') !== filter.pool) continue;
    if (filter.user && j.user !== filter.user) continue;
    out[jobGroup(j.state)].push(j);
  }
  return out;
}

/** Where a job's logs are (GET /api/jobs/{id}/logs). */
export const jobLogsUrl = (id: string): string => `/api/jobs/${encodeURIComponent(id)}/logs`;

export const usd = (n: number): string => `$${n.toFixed(2)}`;

/** "3 min ago", "2 h ago", or the date, relative to `now`. */
export function ago(iso: string | undefined, now: Date): string {
  if (!iso) return '—';
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 48 * 3_600_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return iso.slice(0, 16).replace('T', ' ') + ' UTC';
}
