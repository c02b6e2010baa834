// The dashboard page: polls GET /api/ui/view every 15 s and the selected pool's timeline every minute, renders each
// section in place (filters keep their state and focus), and sends a browser that is not signed in to App Service
// authentication's sign-in, which brings it back here.
import type uPlot from 'uplot';
import type { DashboardWire, TimelineWire } from '../dashboard-view.js';
import type { DecisionFilter } from '../view-model.js';
import { el, replace, select } from './element.js';
import { poolCard } from './pools-view.js';
import { moneySection, decisionsTable, jobsSection } from './tables.js';
import { actionsTable, drawTimeline, timelineSummary } from './timeline-chart.js';
import './style.css';

const VIEW_MS = 15_000;
const TIMELINE_MS = 60_000;
const SIGN_IN = `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(location.pathname)}`;

let view: DashboardWire | undefined;
let chart: uPlot | undefined;
const state = { pool: '', range: '24h' as '24h' | '7d', decisions: {} as DecisionFilter, jobs: {} as { pool?: string; user?: string } };

async function getJson<T>(url: string): Promise<T | undefined> {
  const r = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (r.status === 401) {
    location.assign(SIGN_IN);
    return undefined;
  }
  if (!r.ok) {
    const p = (await r.json().catch(() => ({}))) as { detail?: string };
    throw new Error(p.detail ?? `${url} answered ${r.status}`);
  }
  return (await r.json()) as T;
}

function status(text: string, isError = false): void {
  const s = document.getElementById('status')!;
  s.textContent = text;
  s.classList.toggle('error', isError);
}

function render(v: DashboardWire): void {
  const now = new Date(v.at);
  document.getElementById('who')!.textContent = `${v.caller.user}${v.caller.isAdmin ? ' (admin)' : ''}`;
  document.body.classList.toggle('admin', v.caller.isAdmin);
  replace('pools-list', v.pools.length ? v.pools.map((p) => poolCard(p, v.seatsPerInstance[p.pool], v.caller.isAdmin, now)) : el('p', { class: 'empty' }, 'No pools yet. An admin adds one with PUT /api/pools/{pool}/policy.'));
  replace('decisions-list', v.caller.isAdmin ? decisionsTable(v, state.decisions, now) : el('p', {}, 'Decisions are shown to admins.'));
  replace('jobs-list', jobsSection(v, state.jobs, now));
  replace('money-list', v.caller.isAdmin ? moneySection(v) : el('p', {}, 'Costs are shown to admins.'));
  fillPoolChoices(v);
}

function fillPoolChoices(v: DashboardWire): void {
  const names = v.pools.map((p) => p.pool);
  if (!state.pool || !names.includes(state.pool)) {
    state.pool = names[0] ?? '';
    void refreshTimeline();
  }
  // Jobs run on Batch pools, not on the VM scale set pools above: the jobs filter offers the pools the jobs are on.
  const jobPools = [...new Set(v.jobs.map((j) => j.pool ?? 'unrouted'))].sort();
  for (const id of ['timeline-pool', 'decisions-pool', 'jobs-pool']) {
    const s = document.getElementById(id) as HTMLSelectElement | null;
    if (!s) continue;
    const choices = id === 'jobs-pool' ? jobPools : names;
    const wanted = [...(id === 'timeline-pool' ? [] : [['', 'All pools']]), ...choices.map((n) => [n, n])];
    if ([...s.options].map((o) => o.value).join('\n') === wanted.map(([value]) => value).join('\n')) continue;
    const chosen = s.value || (id === 'timeline-pool' ? state.pool : '');
    s.replaceChildren(...wanted.map(([value, text]) => el('option', { value: value!, selected: value === chosen }, text!)));
  }
}

async function refreshView(): Promise<void> {
  try {
    const v = await getJson<DashboardWire>('/api/ui/view');
    if (!v) return;
    view = v;
    render(v);
    status(`Updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    status(`Could not update: ${(e as Error).message}. Retrying.`, true);
  }
}

async function refreshTimeline(): Promise<void> {
  if (!state.pool) return;
  try {
    const t = await getJson<TimelineWire>(`/api/pools/${encodeURIComponent(state.pool)}/timeline?range=${state.range}`);
    if (!t) return;
    const host = document.getElementById('timeline-chart')!;
    chart = drawTimeline(host, document.getElementById('timeline-hover')!, t, chart);
    host.setAttribute('data-points', String(t.demand.length));
    host.setAttribute('data-actions', String(t.actions.length));
    document.getElementById('timeline-summary')!.textContent = timelineSummary(t);
    replace('timeline-actions', actionsTable(t));
  } catch (e) {
    replace('timeline-actions', el('p', { class: 'error', role: 'alert' }, `Timeline: ${(e as Error).message}`));
  }
}

function controls(): void {
  const rerender = () => view && render(view);
  replace('timeline-controls',
    select('timeline-pool', 'Pool', [], state.pool, (v) => ((state.pool = v), void refreshTimeline())),
    select('timeline-range', 'Range', [['24h', 'Last 24 hours'], ['7d', 'Last 7 days']], state.range, (v) => ((state.range = v as '24h' | '7d'), void refreshTimeline())),
  );
  replace('decisions-controls',
    select('decisions-pool', 'Pool', [['', 'All pools']], '', (v) => ((state.decisions.pool = v || undefined), rerender())),
    select('decisions-outcome', 'Outcome', [['', 'Any'], ['done', 'done'], ['dry-run', 'dry run'], ['failed', 'failed'], ['requested', 'requested'], ['skipped', 'skipped']], '', (v) => ((state.decisions.outcome = v || undefined), rerender())),
    select('decisions-direction', 'Direction', [['', 'Any'], ['out', 'out'], ['in', 'in'], ['none', 'none']], '', (v) => ((state.decisions.direction = v || undefined), rerender())),
    el('span', { class: 'field' }, el('input', { type: 'checkbox', id: 'decisions-errors', onchange: (e: Event) => ((state.decisions.errorsOnly = (e.target as HTMLInputElement).checked), rerender()) }), el('label', { for: 'decisions-errors' }, 'Errors only')),
    el('span', { class: 'field' }, el('label', { for: 'decisions-text' }, 'Search'), el('input', { type: 'search', id: 'decisions-text', oninput: (e: Event) => ((state.decisions.text = (e.target as HTMLInputElement).value), rerender()) })),
  );
  replace('jobs-controls',
    select('jobs-pool', 'Pool', [['', 'All pools']], '', (v) => ((state.jobs.pool = v || undefined), rerender())),
    el('span', { class: 'field' }, el('label', { for: 'jobs-user' }, 'User'), el('input', { type: 'search', id: 'jobs-user', oninput: (e: Event) => ((state.jobs.user = (e.target as HTMLInputElement).value.trim().toLowerCase() || undefined), rerender()) })),
  );
}

controls();
void refreshView();
setInterval(() => void refreshView(), VIEW_MS);
setInterval(() => void refreshTimeline(), TIMELINE_MS);
