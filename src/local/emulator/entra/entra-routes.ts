// Entra's public endpoints for the emulated tenant on the emulator's HTTPS port: the OpenID configuration and JWKS
// at Entra's own paths, and `POST /_emulator/entra/token`, which mints an access token for a named user and roles
// (the emulator's stand-in for signing in; no password). None needs a bearer token, as in Entra.
import { errorResponse } from '../error-body.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { EntraIssuer } from './entra-issuer.js';
import { createSignInRoutes } from './sign-in-page.js';

const MAX_USER_LENGTH = 256;
const ROLE = /^[A-Za-z0-9._-]{1,120}$/;

/** The token route's JSON body: `{ user, roles?, audience?, lifetimeSeconds? }`. */
export interface TokenRequest {
  user: string;
  roles: string[];
  audience?: string;
  lifetimeSeconds?: number;
}

export function createEntraRoutes(issuer: EntraIssuer): Route[] {
  const tenantPath = `/${issuer.tenantId}`;
  const json = (body: unknown): EmuResponse => ({ status: 200, headers: { 'cache-control': 'no-store' }, body });
  return [
    ...createSignInRoutes(issuer),
    {
      method: 'GET',
      pattern: `${tenantPath}/v2.0/.well-known/openid-configuration`,
      operation: 'entra.openidConfiguration',
      family: 'entra',
      handle: () => json(issuer.openIdConfiguration()),
    },
    {
      method: 'GET',
      pattern: `${tenantPath}/discovery/v2.0/keys`,
      operation: 'entra.keys',
      family: 'entra',
      handle: () => json(issuer.jwks()),
    },
    {
      method: 'POST',
      pattern: '/_emulator/entra/token',
      operation: 'entra.token',
      family: 'entra',
      handle: async (req) => {
        const parsed = parseTokenRequest(req);
        if (typeof parsed === 'string') return errorResponse('entra', 400, 'InvalidTokenRequest', parsed);
        return json(await issuer.issue(parsed.user, parsed.roles, { audience: parsed.audience, lifetimeSeconds: parsed.lifetimeSeconds }));
      },
    },
  ];
}

/** The token request, or a message naming what is wrong with it. */
export function parseTokenRequest(req: Pick<EmuRequest, 'body'>): TokenRequest | string {
  const b = req.body as Record<string, unknown> | undefined;
  const example = 'Send JSON like {"user":"alice@example.com","roles":["DsvmPool.User"]}.';
  if (!b || typeof b !== 'object' || Array.isArray(b)) return `The body must be a JSON object. ${example}`;
  const user = typeof b.user === 'string' ? b.user.trim() : '';
  if (!user || user.length > MAX_USER_LENGTH || /[\p{Cc}\s]/u.test(user)) return `"user" must be a user name of 1-${MAX_USER_LENGTH} characters without spaces. ${example}`;
  const roles = b.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !ROLE.test(r))) return `"roles" must be a list of app role values such as "DsvmPool.Admin". ${example}`;
  if (b.audience !== undefined && (typeof b.audience !== 'string' || b.audience.length === 0)) return '"audience" must be a non-empty string.';
  const lifetime = b.lifetimeSeconds;
  if (lifetime !== undefined && (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || Math.abs(lifetime) > 86_400)) return '"lifetimeSeconds" must be a whole number of seconds, at most one day either way.';
  return { user, roles: roles as string[], audience: b.audience as string | undefined, lifetimeSeconds: lifetime as number | undefined };
}
