// The one place tests and benchmarks make someone the caller of the HTTP API (switches to Entra tokens with issue 15).
import { principalHeader } from '../../src/http/identity.js';

export const ADMIN_ROLE = 'DsvmPool.Admin';

/** The request headers that make `user` (an admin with `admin`) the caller. */
export function callerHeaders(user: string, admin = false): Record<string, string> {
  return principalHeader(user, admin ? [ADMIN_ROLE] : []);
}
