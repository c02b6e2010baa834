// The small page GET /connect shows while a VM comes up: what is happening, when it should be ready, and a
// refresh every few seconds that lands on the connect URL as soon as a VM runs.
import type { WakeResult } from '../autoscale/wake-pool.js';

export const CONNECT_REFRESH_SECONDS = 5;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "in about 3 minutes": people read a wait, not a clock time in a zone that may not be theirs. */
function waitPhrase(expectedReadyAt: Date, now: Date): string {
  const minutes = Math.ceil((expectedReadyAt.getTime() - now.getTime()) / 60_000);
  if (minutes <= 1) return 'within a minute';
  return `in about ${minutes} minutes`;
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function connectPage(pool: string, w: Pick<WakeResult, 'ready' | 'status' | 'expectedReadyAt' | 'connectUrl'>, now: Date): string {
  const headline = w.ready ? 'A VM is ready' : 'Starting a VM for you';
  const detail = w.ready && !w.connectUrl
    ? 'The pool has no connectUrl in its policy, so there is nowhere to send you; ask an admin to set one.'
    : `${escape(sentence(w.status))}. It should be ready ${waitPhrase(w.expectedReadyAt, now)} (<time datetime="${w.expectedReadyAt.toISOString()}">${w.expectedReadyAt.toISOString().slice(11, 16)} UTC</time>). This page refreshes every ${CONNECT_REFRESH_SECONDS} seconds and takes you there as soon as the VM is up.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${CONNECT_REFRESH_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(pool)}: ${headline}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style>
</head><body><h1 id="headline">${headline}</h1><p id="status">${detail}</p><p><small>Pool ${escape(pool)}</small></p></body></html>`;
}
