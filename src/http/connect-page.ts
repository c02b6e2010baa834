// The page GET /connect shows while the broker cannot send the user on yet: where they are placed (or their place in
// the queue), a countdown in REAL seconds to the expected ready time that was stored once per wait (the local stack's
// clock runs 60×), plainly what failed and what the admin was told, no promise at all on a deleted scale set or one
// stuck in an operation, and a refresh that stops after a bounded real time with a retry link.
import { STUCK_UPDATING_MINUTES } from '../autoscale/scale-set-busy.js';
import type { ConnectResult } from '../broker/connect-user.js';
import { vmUserName } from '../broker/vm-user-name.js';
import { realMsUntil } from '../clock.js';
import { waitReason } from './broker-answer.js';

export const CONNECT_REFRESH_SECONDS = 5;
/** Real minutes the page refreshes itself before it stops and offers a retry link. */
export const CONNECT_MAX_WAIT_MINUTES = 15;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConnectPageInput {
  pool: string;
  result: ConnectResult;
  /** The connect URL without query, for the refresh and retry links. */
  selfPath: string;
  /** The signed-in user (sign-in name), for the SSH command line. */
  user: string;
  /** When this page was first shown (real epoch ms; query `started`, carried by each refresh). */
  startedAtMs: number;
  /** Real epoch ms now. */
  nowMs: number;
}

/** "about 3 minutes" / "about 40 seconds": people read a wait, not a clock time in a zone that may not be theirs. */
export function waitPhrase(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `about ${s} seconds`;
  return `about ${Math.round(s / 60)} minutes`;
}

/** `started` from the query: a real time in the past 24 hours, else now (a fresh wait). */
export function startedAtOf(query: string | null, nowMs: number): number {
  const t = Number(query);
  return Number.isFinite(t) && t <= nowMs && nowMs - t < 24 * 3_600_000 ? t : nowMs;
}

interface Body {
  headline: string;
  detail: string;
  /** The promised app-clock time to count down to; absent when nothing is promised. */
  readyAt?: Date;
  refresh: boolean;
  /** The held VM's own addresses, a paragraph of its own. */
  where?: string;
}

export function connectPage(input: ConnectPageInput): string {
  const { pool, result, selfPath, startedAtMs, nowMs, user } = input;
  const problem = result.view?.problem;
  const stopped = nowMs - startedAtMs >= CONNECT_MAX_WAIT_MINUTES * 60_000;
  const body = bodyOf(pool, result, user);
  const retry = `<a id="retry" href="${escape(selfPath)}">Try again</a>`;
  const refresh = body.refresh && !stopped;
  const realMs = body.readyAt ? realMsUntil(body.readyAt) : undefined;
  // A promise that has passed is not counted down again from zero: the page says it is late.
  const counting = realMs !== undefined && realMs > 0 && !stopped;
  const countdown = body.readyAt
    ? counting
      ? ` <span id="expected" data-ready-at="${body.readyAt.toISOString()}">Expected in <span id="countdown">${waitPhrase(realMs)}</span>.</span>`
      : ` <span id="expected" data-ready-at="${body.readyAt.toISOString()}">It was expected by now and is late.</span>`
    : '';
  const failed = problem && problem.code !== 'SCALE_SET_STUCK' && result.placement.outcome === 'wait' && result.placement.why !== 'scale-set-missing'
    ? `<p id="failure" role="alert"><strong>Starting a VM has failed:</strong> ${escape(problem.message)} (${escape(problem.code)}). The admin was told, in the pool's event log (GET /api/pools/${escape(pool)}/events): “${escape(problem.reason ?? problem.message)}”. Autoscale tries again every minute.</p>`
    : '';
  const next = `${selfPath}?started=${startedAtMs}`;
  const tail = stopped && body.refresh
    ? `<p id="stopped">This page has stopped refreshing after ${CONNECT_MAX_WAIT_MINUTES} minutes. ${retry}</p>`
    : refresh
      ? `<p><small>Looking again every ${CONNECT_REFRESH_SECONDS} seconds, for up to ${CONNECT_MAX_WAIT_MINUTES} minutes.</small> ${retry}</p>`
      : `<p>${retry}</p>`;
  const meta = refresh ? `<meta http-equiv="refresh" content="${CONNECT_REFRESH_SECONDS};url=${escape(next)}">` : '';
  // The countdown runs on the browser's clock from the real milliseconds the server computed: honest real seconds.
  const script = counting
    ? `<script>(function(){var end=Date.now()+${Math.round(realMs)};var el=document.getElementById('countdown');if(!el)return;function f(){var s=Math.max(0,Math.round((end-Date.now())/1000));el.textContent=s<90?'about '+s+' seconds':'about '+Math.round(s/60)+' minutes';el.dataset.seconds=String(s);}f();setInterval(f,1000);})();</script>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${meta}
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(pool)}: ${body.headline}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}#failure{color:#8a1f11}</style>
</head><body><h1 id="headline">${body.headline}</h1><p id="status">${body.detail}${countdown}</p>${body.where ?? ''}${failed}${tail}<p><small>Pool ${escape(pool)}</small></p>${script}</body></html>`;
}

/** What the page says, by the broker's answer; a failure without a VM coming promises no time. */
function bodyOf(pool: string, result: ConnectResult, user: string): Body {
  const p = result.placement;
  const problem = result.view?.problem;
  const events = `the pool's event log (GET /api/pools/${escape(pool)}/events)`;
  if (p.outcome === 'placed') {
    if (p.ready) {
      return { headline: 'Your VM is ready', detail: 'The pool has no connectUrl in its policy and no per-VM address is known, so there is nowhere to send you; ask an admin to set one.', refresh: false, where: whereToConnect(result, p.instanceId, user) };
    }
    return { headline: 'Starting a VM for you', detail: `VM ${escape(p.instanceId)} is held for you; this page takes you there as soon as it runs.`, readyAt: p.readyAt, refresh: true, where: whereToConnect(result, p.instanceId, user) };
  }
  if (p.why === 'scale-set-missing') {
    return {
      headline: "This pool's scale set is gone",
      detail: `The scale set this pool manages was not found in Azure (deleted?), so no VM can start and nothing is promised; this page does not wait. The admin was told: ${problem ? `${escape(problem.code)} in ` : ''}${events}. An admin must recreate the scale set or point the pool's policy at another one.`,
      refresh: false,
    };
  }
  if (p.why === 'scale-set-stuck') {
    const since = p.busySince ? ` since <span id="busy-since">${escape(p.busySince)}</span>` : '';
    return {
      headline: "The pool's scale set is stuck in an operation",
      detail: `The scale set has been busy (${escape(result.view?.scaleSet.provisioningState ?? 'Updating')})${since} for more than ${STUCK_UPDATING_MINUTES} minutes, so no VM can be started until that operation ends, and no time can be promised. The admin was told: ${problem?.code === 'SCALE_SET_STUCK' ? 'SCALE_SET_STUCK in ' : ''}${events}; they should check the scale set's activity log in Azure.`,
      refresh: true,
    };
  }
  const why = `You are number ${p.position} in the queue: ${escape(waitReason(p.why, problem))}.`;
  if (problem) return { headline: 'Starting a VM has failed', detail: `${why} Nothing is starting now, so no time is promised.`, refresh: true };
  const moved = p.estimateMoved ? ` <span id="moved">The expected time moved: ${escape(p.estimateMoved)}.</span>` : '';
  return { headline: 'Waiting for a seat', detail: `${why}${moved}`, readyAt: p.estimatedReadyAt, refresh: true };
}

/** The held VM's own addresses (inbound NAT ports of the pool's load balancer), when the pool view knows them. */
function whereToConnect(result: ConnectResult, instanceId: string, user: string): string {
  const endpoints = result.view?.instances.find((vm) => vm.instanceId === instanceId)?.endpoints;
  const parts: string[] = [];
  if (endpoints?.jupyter) parts.push(`JupyterHub on this VM: <code id="jupyter-url">https://${escape(endpoints.jupyter.address)}:${endpoints.jupyter.port}/</code>`);
  if (endpoints?.ssh) {
    const name = vmUserName(user) || 'your-name';
    parts.push(`SSH: <code id="ssh-command">ssh -p ${endpoints.ssh.port} ${escape(name)}@${escape(endpoints.ssh.address)}</code>`);
  }
  return parts.length ? `<p id="where">${parts.join('<br>')}</p>` : '';
}
