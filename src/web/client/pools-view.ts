// The pools section: each pool's VMs (state, sessions, seats, protection, drain, per-user sessions where the API
// gives them), the decision an evaluation would make now and why, and warnings with what to do.
import type { PoolWire } from '../dashboard-view.js';
import { ago, warningItem, type WarningWire } from '../view-model.js';
import { el, table } from './element.js';

type Instance = NonNullable<PoolWire['instances']>[number] & Record<string, unknown>;

const DIRECTION: Record<string, string> = { out: 'Scale out', in: 'Scale in', none: 'No change' };

/** Per-kind and per-user session facts are optional: shown when the API has them (the broker adds them). */
function sessionsCell(i: Instance): string {
  if (i.sessions === null) return 'no data';
  const kinds = i.sessionsByKind as Record<string, number> | undefined;
  const byKind = kinds ? ` (${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')})` : '';
  return `${i.sessions}${byKind}`;
}

function usersCell(i: Instance): string {
  const users = (i.users ?? i.sessionsByUser) as unknown;
  if (Array.isArray(users)) return users.map((u) => (typeof u === 'string' ? u : `${(u as { user: string }).user}${(u as { kind?: string }).kind ? ` (${(u as { kind?: string }).kind})` : ''}`)).join(', ') || '—';
  if (users && typeof users === 'object') return Object.entries(users as Record<string, unknown>).map(([u, n]) => `${u} ${String(n)}`).join(', ');
  return '—';
}

function seats(per: number | undefined, i: Instance): string {
  if (i.state !== 'running' || i.sessions === null || per === undefined) return '—';
  const over = i.sessions - per;
  return over > 0 ? `0 of ${per} free (${over} over)` : `${per - i.sessions} of ${per} free`;
}

function drainCell(i: Instance): string {
  const d = i.drain ?? i.draining;
  if (d === undefined || d === false) return '—';
  return typeof d === 'string' ? d : 'draining';
}

export function poolCard(p: PoolWire, seatsPerInstance: number | undefined, isAdmin: boolean, now: Date): HTMLElement {
  const instances = (p.instances ?? []) as Instance[];
  const hasUsers = isAdmin && instances.some((i) => i.users !== undefined || i.sessionsByUser !== undefined);
  const hasDrain = instances.some((i) => i.drain !== undefined || i.draining !== undefined);
  const headers = ['VM', 'State', 'Sessions', 'Seats', 'Protected', ...(hasDrain ? ['Drain'] : []), ...(hasUsers ? ['Who'] : [])];
  const rows = instances.map((i) => [i.instanceId, el('span', { class: `state state-${i.state}` }, i.state), sessionsCell(i), seats(seatsPerInstance, i), i.protectFromScaleIn ? 'yes' : 'no', ...(hasDrain ? [drainCell(i)] : []), ...(hasUsers ? [usersCell(i)] : [])]);
  const reservations = (p as Record<string, unknown>).reservations as { user?: string; instanceId?: string; expiresAt?: string }[] | undefined;
  const warnings = (p.warnings as WarningWire[]).map(warningItem);
  const id = `pool-${p.pool.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return el(
    'article',
    { class: 'pool', 'aria-labelledby': id },
    el('h3', { id }, p.pool, ' ', el('span', { class: 'badges' }, !p.enabled && el('span', { class: 'badge off' }, 'autoscale off'), p.dryRun && el('span', { class: 'badge' }, 'dry run'), p.provisioningState && el('span', { class: 'badge' }, `scale set ${p.provisioningState}`))),
    p.error && el('p', { class: 'error', role: 'alert' }, `${p.error.code}: ${p.error.message}`),
    p.now && el('p', { class: 'decision' }, el('strong', {}, `${DIRECTION[p.now.direction] ?? p.now.direction} (target ${p.now.targetActive} VM${p.now.targetActive === 1 ? '' : 's'}): `), p.now.reason),
    warnings.length > 0 &&
      el(
        'ul',
        { class: 'warnings', 'aria-label': `Warnings for ${p.pool}` },
        warnings.map((w) => el('li', { class: 'warning' }, el('strong', {}, w.message), w.firstSeen ? el('span', { class: 'muted' }, ` — first seen ${ago(w.firstSeen, now)}`) : null, el('br'), el('span', {}, 'What to do: ', w.advice), el('span', { class: 'code' }, ` [${w.code}]`))),
      ),
    table(`VMs of ${p.pool}`, headers, rows, 'no VMs (the pool is at zero).'),
    reservations && reservations.length > 0 && table(`Reservations on ${p.pool}`, ['VM', ...(isAdmin ? ['Who'] : []), 'Expires'], reservations.map((r) => [r.instanceId ?? '—', ...(isAdmin ? [r.user ?? '—'] : []), ago(r.expiresAt, now)])),
    p.lastEvent && el('p', { class: 'muted' }, `Last decision ${ago(p.lastEvent.at, now)}: ${p.lastEvent.reason} (${p.lastEvent.outcome})`),
  );
}
