// What the CLI makes of the broker's answer to POST /api/pools/{pool}/sessions: where to go (a URL for Jupyter, an
// ssh command line), and a line for a person while they wait. Pure, so the unit tests state it without a stack.

/** The broker's answer, as README "Connection broker" documents it; fields the CLI does not need are left out. */
export type SessionAnswer =
  | {
      outcome: 'placed';
      instanceId: string;
      /** Your Linux account on the pool's VMs (ssh login); null when there is none. */
      login?: string | null;
      by?: string;
      /** The VM runs; otherwise it is starting and `readyInSeconds` (real seconds) says when it should run. */
      ready: boolean;
      readyAt?: string;
      readyInSeconds?: number;
      /** The VM's own inbound NAT endpoint for the session kind, or null while the app does not know it. */
      endpoint?: EndpointAnswer | null;
      /** The pool's shared connect URL (policy `connectUrl`), or null. */
      connectUrl?: string | null;
    }
  | {
      outcome: 'waiting';
      /** 1 = next to get a seat. */
      position?: number;
      reason?: string;
      message?: string;
      estimatedReadyAt?: string | null;
      /** Real seconds until a seat should exist, or null when nothing can be promised. */
      estimatedWaitSeconds?: number | null;
      problem?: { code?: string; message?: string } | null;
    };

/**
 * An endpoint as the broker sends it (`{ address, port }`, src/broker/pool-view.ts); `{ host, port }` is accepted too.
 */
export interface EndpointAnswer {
  address?: string;
  host?: string;
  port?: number;
}

/** A usable host and port from an endpoint of either shape, or undefined (null, missing host, port out of range). */
export function endpointOf(e: EndpointAnswer | null | undefined): { host: string; port: number } | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const host = typeof e.host === 'string' && e.host ? e.host : typeof e.address === 'string' && e.address ? e.address : undefined;
  const port = Number(e.port);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** A host for a URL: an IPv6 literal goes in brackets. */
const urlHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/**
 * Where `connect` sends a placed user, as GET /connect does (src/http/connect-redirect.ts): the pool's connectUrl
 * when the policy has one (JupyterHub's Entra sign-in returns only to the redirect URI registered for it), else the
 * VM's own JupyterHub through its inbound NAT port (the hub serves TLS); `vm: false` says the URL is the shared one.
 */
export function jupyterTarget(a: Extract<SessionAnswer, { outcome: 'placed' }>): { url: string; vm: boolean } | undefined {
  if (a.connectUrl) return { url: a.connectUrl, vm: false };
  const e = endpointOf(a.endpoint);
  return e ? { url: `https://${urlHost(e.host)}:${e.port}/`, vm: true } : undefined;
}

/** `ssh -p PORT [LOGIN@]HOST [EXTRA…]`: extra arguments go after the destination, where ssh takes both options and a remote command. */
export function sshArgv(endpoint: { host: string; port: number }, login: string | undefined, extra: readonly string[]): string[] {
  return ['ssh', '-p', String(endpoint.port), login ? `${login}@${endpoint.host}` : endpoint.host, ...extra];
}

/** A command line a POSIX shell reads back as the same argv (single quotes where needed). */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** "about 3 min", "about 40 s". */
export function aboutSeconds(seconds: number): string {
  return seconds < 90 ? `about ${Math.max(0, Math.round(seconds))} s` : `about ${Math.round(seconds / 60)} min`;
}

/** What a person reads while they wait: their place in the queue and the estimate, or the VM held for them starting. */
export function waitLine(pool: string, a: SessionAnswer): string {
  if (a.outcome === 'placed') {
    const when = a.readyInSeconds !== undefined ? `, ready in ${aboutSeconds(a.readyInSeconds)}` : '';
    return `${pool}: a seat is held for you on VM ${a.instanceId}, which is starting${when}`;
  }
  const parts = [`${pool}: waiting for a seat, position ${a.position ?? '?'}`];
  parts.push(typeof a.estimatedWaitSeconds === 'number' ? `estimate ${aboutSeconds(a.estimatedWaitSeconds)}` : 'no estimate');
  const why = a.message ?? a.reason;
  const failed = a.problem?.message ? ` (starting a VM failed: ${a.problem.message}; it is in the pool's event log)` : '';
  return `${parts.join(', ')}${why ? ` — ${why}` : ''}${failed}`;
}

/** What changed for the user (one line per change off a terminal): queue place, reason, promised time, or the held VM. */
export function waitKey(a: SessionAnswer): string {
  return a.outcome === 'placed'
    ? `held ${a.instanceId} ${a.readyAt ?? ''}`
    : `wait ${a.position} ${a.reason} ${a.estimatedReadyAt ?? ''} ${a.problem?.code ?? ''}`;
}
