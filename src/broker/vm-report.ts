// The per-VM session report: each VM's reporter writes one row with who is on it (user name, kind) and whether it is
// drained, every minute and at once on a drain. Fresher than the Monitor metric (seconds, not minutes) and the only
// place that names users, so it holds the minimum: current sessions only, overwritten each minute, deleted with the VM.
import type { SessionKind, UserSession } from './pool-view.js';

export interface VmReport {
  instanceId: string;
  /** ISO time of the report (the VM's clock). */
  reportedAt: string;
  /** Named sessions; user names lower case, as the VM knows them. */
  sessions: UserSession[];
  /** Counts per kind, which may exceed the named sessions; a kind the VM could not count is absent. */
  counts: Partial<Record<SessionKind, number>>;
  /** The VM is drained (its probe answers 503). */
  drained: boolean;
}

/** A report older than this is stale: the reporter runs every minute. */
export const REPORT_FRESH_MINUTES = 3;

export function isFresh(r: VmReport, now: Date): boolean {
  return now.getTime() - Date.parse(r.reportedAt) <= REPORT_FRESH_MINUTES * 60_000;
}

/** Sessions a fresh, complete report counts; undefined when a kind could not be counted. */
export function reportedCount(r: VmReport): number | undefined {
  if (r.counts.jupyter === undefined || r.counts.ssh === undefined) return undefined;
  return Math.max(r.counts.jupyter + r.counts.ssh, r.sessions.length);
}

/**
 * Named sessions past each user's first (a user's notebook and SSH job on one VM count 1): load the broker put beside
 * a user's own session by affinity, which no other VM would take.
 */
export function secondSessions(r: VmReport): number {
  const users = new Set(r.sessions.map((s) => s.user));
  return r.sessions.length - users.size;
}

export interface VmReportStore {
  /** Every report row of one scale set (one partition query). */
  list(scaleSetId: string, options?: { abortSignal?: AbortSignal }): Promise<VmReport[]>;
  /** Deletes the rows of VMs that no longer exist (idempotent): user names are not kept past their VM. */
  remove(scaleSetId: string, instanceIds: readonly string[], options?: { abortSignal?: AbortSignal }): Promise<void>;
}
