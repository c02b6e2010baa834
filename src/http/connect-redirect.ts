// Where GET /connect sends a placed user whose VM runs: the VM's own JupyterHub through its inbound NAT port when the
// view knows it, else the pool's connectUrl.
import type { ConnectResult } from '../broker/connect-user.js';

export function redirectTarget(r: ConnectResult): string | undefined {
  const p = r.placement;
  if (p.outcome !== 'placed' || !p.ready) return undefined;
  if (p.endpoint) return `http://${p.endpoint.address}:${p.endpoint.port}/`;
  return r.view?.connectUrl;
}
