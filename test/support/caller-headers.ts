// The caller of the HTTP API for tests and benchmarks that only need "a user" or "an admin": an Entra access token
// from the stack's emulator issuer (test/support/identity.ts), validated by the app as in Azure.
import type { Emulator } from '../../src/local/emulator/index.js';
import { ADMIN_ROLE, authHeaders } from './identity.js';

export { ADMIN_ROLE };

/** The request headers that make `user` (an admin with `admin`) the caller. */
export async function callerHeaders(stack: { emulator: Emulator }, user: string, admin = false): Promise<Record<string, string>> {
  return authHeaders(stack, user, admin ? [ADMIN_ROLE] : undefined);
}
