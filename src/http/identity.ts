// Who is calling, decided from credentials nobody can forge:
// - `Authorization: Bearer` Microsoft Entra access tokens, validated by the app itself (src/http/bearer-token.ts);
//   this is how the CLI and scripts call, in Azure and locally (the emulator issues tokens there);
// - `x-ms-client-principal`, trusted only when App Service authentication is on for the app (WEBSITE_AUTH_ENABLED),
//   because only then does the platform strip client copies of it (Learn "Work with user identities in Azure App
//   Service authentication"); otherwise it is ignored. Browsers sign in this way.
// A caller needs an app role: DsvmPool.User, or the admin role (DSVMPOOL_ADMIN_ROLE) which also makes it an admin.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { tlsOptionsFor } from '../azure/credentials.js';
import { config, type Config } from '../config.js';
import { createBearerVerifier, type BearerVerifier } from './bearer-token.js';
import { readClientPrincipal } from './client-principal.js';
import { identityProblem, type IdentityError } from './identity-problem.js';

export type { IdentityError } from './identity-problem.js';

export interface Caller {
  /** Stable user name (the sign-in name, lower case: preferred_username / UPN); jobs are owned by it. */
  user: string;
  /** Entra object id (oid) where known. */
  id?: string;
  roles: string[];
  isAdmin: boolean;
}

/** The app role every caller needs (declared on the app registration beside the admin role). */
export const USER_ROLE = 'DsvmPool.User';

export type Identified = { ok: true; caller: Caller } | { ok: false; error: IdentityError };

export interface IdentityOptions {
  /** Undefined when the app has no Entra settings: every bearer token is then refused. */
  verifier?: BearerVerifier;
  /** App Service authentication is on (WEBSITE_AUTH_ENABLED=true). */
  platformAuth: boolean;
  adminRole: string;
}

/** What a request needs: any caller with an app role, or an admin. */
export type Need = 'user' | 'admin';

const BEARER = /^\s*bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)\s*$/i;
const HOW_TO = 'Send "Authorization: Bearer <Entra access token>" (README, Security) or sign in at /.auth/login/aad in a browser.';

/** The caller of a request with these headers, or why there is none. Never throws. */
export async function identify(headers: { get(name: string): string | null }, o: IdentityOptions, need: Need = 'user'): Promise<Identified> {
  let name: string;
  let id: string | undefined;
  let roles: string[];
  const authorization = headers.get('authorization');
  const principalSent = headers.get('x-ms-client-principal') !== null;
  if (o.platformAuth && principalSent) {
    const read = readClientPrincipal(headers);
    if (!read.ok) return fail('PRINCIPAL_INVALID', `${read.reason}.`);
    ({ name, id, roles } = read.principal);
  } else if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) {
      const scheme = /^\s*([A-Za-z][\w-]{0,19})/.exec(authorization)?.[1];
      const got = scheme && scheme.toLowerCase() !== 'bearer' ? `the "${scheme}" scheme` : 'no token after "Bearer"';
      return fail('TOKEN_INVALID', `The Authorization header must be "Bearer <access token>"; it has ${got}.`, 'invalid_request');
    }
    if (!o.verifier) {
      return fail('TOKEN_INVALID', 'This app is not set up to accept bearer tokens: DSVMPOOL_ENTRA_TENANT_ID and DSVMPOOL_ENTRA_AUDIENCE are not set.', 'invalid_token');
    }
    const verified = await o.verifier(token);
    if (!verified.ok) {
      if (verified.kind === 'unavailable') return fail('ISSUER_UNAVAILABLE', `The bearer token cannot be checked now: ${verified.reason}.`);
      return fail('TOKEN_INVALID', `The bearer token was refused: ${verified.reason}.`, 'invalid_token');
    }
    ({ name, oid: id, roles } = verified.identity);
  } else {
    const ignored = principalSent ? ' The x-ms-client-principal header was ignored: App Service authentication is not enabled for this app, so anyone could have written it.' : '';
    return fail('UNAUTHENTICATED', `The request carries no credentials.${ignored} ${HOW_TO}`);
  }
  const isAdmin = roles.includes(o.adminRole);
  if (!isAdmin && !roles.includes(USER_ROLE)) {
    return fail('FORBIDDEN', `${name} holds neither the app role "${USER_ROLE}" nor "${o.adminRole}"; an admin can assign one in Entra ID (Enterprise applications → dsvm-pool → Users and groups).`);
  }
  if (need === 'admin' && !isAdmin) return fail('FORBIDDEN', `This needs the app role "${o.adminRole}"; ${name} does not hold it.`);
  return { ok: true, caller: { user: name.toLowerCase(), id, roles, isAdmin } };
}

function fail(code: IdentityError['code'], message: string, bearerError?: IdentityError['bearerError']): Identified {
  return { ok: false, error: { code, message, ...(bearerError ? { bearerError } : {}) } };
}

let verifierCache: { key: string; verifier: BearerVerifier } | undefined;

/** The identity options of the app's config (the bearer verifier, and with it the cached JWKS, made once). */
export function identityOptions(c: Config = config()): IdentityOptions {
  let verifier: BearerVerifier | undefined;
  if (c.entra) {
    const key = JSON.stringify([c.entra, c.tlsCaFile]);
    if (verifierCache?.key !== key) verifierCache = { key, verifier: createBearerVerifier(c.entra, { ca: tlsOptionsFor(c)?.ca }) };
    verifier = verifierCache.verifier;
  }
  return { verifier, platformAuth: c.platform.authEnabled, adminRole: c.adminRole };
}

/**
 * The caller of an HTTP request, or the problem+json response to send instead (401 no or bad credentials, 403
 * missing app role, 503 the tenant's keys unreachable). Every route starts with it:
 * `const who = await callerOf(request); if (!who.ok) return who.response;`
 */
export async function callerOf(request: Pick<HttpRequest, 'headers'>, need: Need = 'user'): Promise<{ ok: true; caller: Caller } | { ok: false; response: HttpResponseInit }> {
  const result = await identify(request.headers, identityOptions(), need);
  return result.ok ? result : { ok: false, response: identityProblem(result.error) };
}

/**
 * The start-up error for an app that runs in Azure (WEBSITE_SITE_NAME / WEBSITE_INSTANCE_ID set by the platform) with
 * neither App Service authentication on nor Entra bearer settings: every request would then be refused with 401.
 * Undefined when at least one mechanism is configured, or off Azure.
 */
export function identityStartupProblem(c: Pick<Config, 'entra' | 'platform'>): string | undefined {
  if (!c.platform.inAzure || c.platform.authEnabled || c.entra) return undefined;
  return (
    'No caller can be identified: App Service authentication is off (WEBSITE_AUTH_ENABLED is not "true") and ' +
    'DSVMPOOL_ENTRA_TENANT_ID / DSVMPOOL_ENTRA_AUDIENCE are not set, so every API request will get 401. ' +
    'Deploy with infra/ (it configures both), or set the two settings to the app registration (README, Security).'
  );
}
