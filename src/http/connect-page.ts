// The page GET /connect shows while the broker cannot send the user on yet: where they are placed (or their place in
// the queue), a countdown in REAL seconds to the expected ready time (the local stack's clock runs 60×), plainly what
// failed and what the admin was told, and a refresh that stops after a bounded number of tries with a retry link.
import type { ConnectResult } from '../broker/connect-user.js';
import { vmUserName } from '../broker/vm-user-name.js';
import { realMsUntil } from '../clock.js';
import { WAIT_REASONS } from './broker-answer.js';

export const CONNECT_REFRESH_SECONDS = 5;
/** Refreshes before the page stops and offers a retry link: about ten minutes of real time. */
export const CONNECT_MAX_ATTEMPTS = 120;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConnectPageInput {
  pool: string;
  result: ConnectResult;
  /** This page's refresh count so far (query `attempt`). */
  attempt: number;
  /** The connect URL without query, for the refresh and retry links. */
  selfPath: string;
  /** The signed-in user (sign-in name), for the SSH command line. */
  user: string;
}

/** "about 3 minutes" / "about 40 seconds": people read a wait, not a clock time in a zone that may not be theirs. */
export function waitPhrase(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `about ${s} seconds`;
  return `about ${Math.round(s / 60)} minutes`;
}

export function connectPage(input: ConnectPageInput): string {
  const { pool, result, attempt, selfPath, user } = input;
  const p = result.placement;
  const problem = result.view?.problem;
  const stopped = attempt >= CONNECT_MAX_ATTEMPTS;
  const retry = `<a id="retry" href="${escape(selfPath)}">Try again</a>`;
  let headline: string;
  let detail: string;
  let readyAtMs: number | undefined;
  let refresh = !stopped;
  if (p.outcome === 'placed') {
    readyAtMs = realMsUntil(p.readyAt);
    headline = p.ready ? 'Your VM is ready' : 'Starting a VM for you';
    detail = p.ready
      ? 'The pool has no connectUrl in its policy and no per-VM address is known, so there is nowhere to send you; ask an admin to set one.'
      : `VM ${escape(p.instanceId)} is held for you and should be ready in <span id="countdown">${waitPhrase(readyAtMs)}</span>. This page takes you there as soon as it runs.`;
    if (p.ready) refresh = false;
    detail += whereToConnect(result, p.instanceId, user);
  } else if (p.why === 'scale-set-missing') {
    headline = 'This pool cannot start a VM';
    detail = `${escape(WAIT_REASONS[p.why] ?? p.why)}. Nothing is starting, so this page does not wait.`;
    refresh = false;
  } else {
    headline = 'Waiting for a seat';
    readyAtMs = p.estimatedReadyAt ? realMsUntil(p.estimatedReadyAt) : undefined;
    const when = readyAtMs !== undefined ? ` A seat should exist in <span id="countdown">${waitPhrase(readyAtMs)}</span>.` : '';
    detail = `You are number ${p.position} in the queue: ${escape(WAIT_REASONS[p.why] ?? p.why)}.${when}`;
  }
  const failed = problem
    ? `<p id="failure" role="alert"><strong>Starting a VM has failed:</strong> ${escape(problem.message)} (${escape(problem.code)}). The admin was told: this error is recorded in the pool's event log (GET /api/pools/${escape(pool)}/events) and keeps being retried each minute.</p>`
    : '';
  const next = `${selfPath}?attempt=${attempt + 1}`;
  const tail = stopped
    ? `<p id="stopped">This page has stopped refreshing after ${CONNECT_MAX_ATTEMPTS} tries. ${retry}</p>`
    : refresh
      ? `<p><small>Refreshing every ${CONNECT_REFRESH_SECONDS} seconds (${attempt + 1} of ${CONNECT_MAX_ATTEMPTS}).</small> ${retry}</p>`
      : `<p>${retry}</p>`;
  const meta = refresh ? `<meta http-equiv="refresh" content="${CONNECT_REFRESH_SECONDS};url=${escape(next)}">` : '';
  // The countdown runs on the browser's clock from the real milliseconds the server computed: honest real seconds.
  const script = readyAtMs !== undefined && !stopped
    ? `<script>(function(){var end=Date.now()+${Math.round(readyAtMs)};var el=document.getElementById('countdown');if(!el)return;function f(){var s=Math.max(0,Math.round((end-Date.now())/1000));el.textContent=s<90?'about '+s+' seconds':'about '+Math.round(s/60)+' minutes';el.dataset.seconds=String(s);}f();setInterval(f,1000);})();</script>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${meta}
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(pool)}: ${headline}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}#failure{color:#8a1f11}</style>
</head><body><h1 id="headline">${headline}</h1><p id="status">${detail}</p>${failed}${tail}<p><small>Pool ${escape(pool)}</small></p>${script}</body></html>`;
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
  return parts.length ? `</p><p id="where">${parts.join('<br>')}` : '';
}
