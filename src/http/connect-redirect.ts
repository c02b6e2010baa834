// Where GET /connect sends a placed user whose VM runs: the pool's connectUrl when the policy has one, else the VM's
// own JupyterHub through its inbound NAT port. connectUrl first: the hub's Entra sign-in returns to the one
// redirect URI registered for the load-balanced port 8000 (README "VM login"), which a per-VM port is not. The DSVM
// hub serves TLS itself on 8000 (README "Default policies"), so a per-VM link is https.
import type { ConnectResult } from '../broker/connect-user.js';

export function redirectTarget(r: ConnectResult): string | undefined {
  const p = r.placement;
  if (p.outcome !== 'placed' || !p.ready) return undefined;
  if (r.view?.connectUrl) return r.view.connectUrl;
  if (p.endpoint) return `https://${p.endpoint.address}:${p.endpoint.port}/`;
  return undefined;
}
