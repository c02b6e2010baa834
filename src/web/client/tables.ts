// The decisions, jobs and money sections, rendered from the dashboard view and the page's filters.
import type { DashboardWire } from '../dashboard-view.js';
import { ago, filterDecisions, groupJobs, jobLogsUrl, usd, type DecisionFilter } from '../view-model.js';
import { el, table } from './element.js';

export function decisionsTable(view: DashboardWire, f: DecisionFilter, now: Date): HTMLElement {
  const rows = filterDecisions(view.decisions ?? [], f).slice(0, 200);
  return table(
    'Scale decisions, newest first',
    ['When', 'Pool', 'Kind', 'Direction', 'Outcome', 'Reason', 'Error'],
    rows.map((e) => [ago(e.at, now), e.pool, `${e.kind} (${e.trigger})`, e.direction, el('span', { class: `outcome outcome-${e.outcome}` }, e.outcome), e.reason, e.error ? `${e.error.code}: ${e.error.message}` : e.problems?.map((p) => `${p.field} ${p.reason}`).join('; ') ?? '—']),
    'no decisions match.',
  );
}

export function jobsSection(view: DashboardWire, f: { pool?: string; user?: string }, now: Date): HTMLElement[] {
  const groups = groupJobs(view.jobs, f);
  const admin = view.caller.isAdmin;
  const row = (j: DashboardWire['jobs'][number]) => [
    el('span', { class: 'mono', title: j.id }, `…${j.id.slice(-6)}`),
    j.name,
    ...(admin ? [j.user] : []),
    j.pool ?? 'unrouted',
    j.state,
    j.waitingFor ?? j.reason ?? '—',
    ago(j.submittedAt, now),
    el('a', { href: jobLogsUrl(j.id), 'aria-label': `Logs of job ${j.name}` }, 'logs'),
  ];
  const headers = ['Id', 'Name', ...(admin ? ['User'] : []), 'Pool', 'State', 'Waiting for / reason', 'Submitted', 'Logs'];
  return [
    table('Queued jobs', headers, groups.queued.map(row), 'none.'),
    table('Running jobs', headers, groups.running.map(row), 'none.'),
    table('Recent jobs', headers, groups.recent.slice(0, 30).map(row), 'none.'),
  ];
}

export function moneySection(view: DashboardWire): HTMLElement[] {
  const money = view.money;
  if (!money) return [];
  const cell = (c: { vmHours: number; cost: number }) => `${c.vmHours.toFixed(1)} VM-h · ${usd(c.cost)}`;
  return [
    table(
      'Estimated compute cost per pool (UTC periods)',
      ['Pool', 'VM size · price', 'Today', 'This week', 'This month', "Always-on at this week's peak (week / month)"],
      money.pools.map((p) => [p.pool, `${p.price.vmSize} · ${usd(p.price.vmPerHour)}/h`, cell(p.today), cell(p.week), cell(p.month), `${p.alwaysOn.vms} VM${p.alwaysOn.vms === 1 ? '' : 's'}: ${usd(p.alwaysOn.week)} / ${usd(p.alwaysOn.month)}`]),
      'no pools.',
    ),
    table('GPU-hours per user on Batch pools, this month', ['Pool', 'User', 'GPU-hours', 'Jobs'], money.gpuHours.map((g) => [g.pool, g.user, g.gpuHours.toFixed(2), g.jobs]), 'no GPU jobs ran this month.'),
  ];
}
