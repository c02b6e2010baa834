// The emulator as Microsoft Entra ID's token issuer for one tenant: an RSA key pair made at start, the tenant's
// OpenID configuration and JWKS, and access tokens shaped like Entra v2.0 access tokens, so the app's real token
// validation runs locally. Claims follow Learn "Access token claims reference"
// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference): aud (v2.0: the API's client id),
// iss `{authority}/{tenant}/v2.0`, iat/nbf/exp (Unix seconds), azp/azpacr, preferred_username, name, oid, sub, tid,
// roles (present only when the user holds some), scp, uti, ver "2.0"; header typ JWT, alg RS256, kid.
// Token times are real (wall clock), never the emulator's simulated clock: Entra stamps tokens with real time.
import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** Fixed ids of the emulated tenant and app registration (any GUIDs would do; these are easy to spot). */
export const EMULATOR_TENANT_ID = '11111111-1111-4111-8111-111111111111';
/** Client id of the emulated app registration (the API): the `aud` of v2.0 access tokens for it. */
export const EMULATOR_API_CLIENT_ID = '22222222-2222-4222-8222-222222222222';
/** Client id of the emulated public client (a script or CLI) the tokens are issued to: their `azp`. */
export const EMULATOR_CLIENT_APP_ID = '33333333-3333-4333-8333-333333333333';
/** Entra gives access tokens a random lifetime of 60-90 minutes by default (Learn "Access tokens in the Microsoft
 * identity platform", token lifetime); the emulator uses one hour. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export interface TokenOptions {
  /** Default: the emulated API's client id (EMULATOR_API_CLIENT_ID). */
  audience?: string;
  /** Seconds from now until `exp`; negative makes an already expired token. Default one hour. */
  lifetimeSeconds?: number;
  /** Seconds from now until `nbf` (default 0). */
  notBeforeInSeconds?: number;
  /** Claims to add or replace (e.g. `iss` for a wrong-issuer test). */
  claims?: JWTPayload;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the token expires. */
  expires_in: number;
}

export interface EntraIssuer {
  tenantId: string;
  clientId: string;
  /** `{emulator}/{tenant}/v2.0`, the `iss` of every token. */
  issuer: string;
  /** `{emulator}/{tenant}/discovery/v2.0/keys`. */
  jwksUri: string;
  /** An access token for `user` (a UPN such as alice@example.com) holding the app roles `roles`. */
  tokenFor(user: string, roles?: readonly string[], options?: TokenOptions): Promise<string>;
  /** The same as `tokenFor`, in the token endpoint's response shape. */
  issue(user: string, roles?: readonly string[], options?: TokenOptions): Promise<IssuedToken>;
  /** An ID token for a browser sign-in (OpenID Connect): `aud` is the signing-in app's client id, `nonce` echoed. */
  idTokenFor(user: string, roles: readonly string[], o: { clientId: string; nonce: string }): Promise<string>;
  /** Signs any claims with the tenant's key (tests of what the app must refuse). */
  sign(claims: JWTPayload, header?: { alg?: string; kid?: string; typ?: string }): Promise<string>;
  /** Object id the emulator gives a user: a stable GUID derived from the user name. */
  objectIdOf(user: string): string;
  jwks(): { keys: JWK[] };
  openIdConfiguration(): Record<string, unknown>;
}

/** Makes the issuer; `baseUrl` is the emulator's HTTPS URL (known once the server listens). */
export async function createEntraIssuer(baseUrl: () => string, o: { tenantId?: string; clientId?: string } = {}): Promise<EntraIssuer> {
  const tenantId = o.tenantId ?? EMULATOR_TENANT_ID;
  const clientId = o.clientId ?? EMULATOR_API_CLIENT_ID;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwk: JWK = { ...publicJwk, kid, use: 'sig', alg: 'RS256' };
  const issuerOf = () => `${baseUrl()}/${tenantId}/v2.0`;

  const sign = (claims: JWTPayload, header: { alg?: string; kid?: string; typ?: string } = {}): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid, ...header }).sign(privateKey as CryptoKey);

  const tokenFor = async (user: string, roles: readonly string[] = [], options: TokenOptions = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const oid = objectIdOf(user);
    const claims: JWTPayload = {
      aud: options.audience ?? clientId,
      iss: issuerOf(),
      iat: now,
      nbf: now + (options.notBeforeInSeconds ?? 0),
      exp: now + (options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
      aio: randomBytes(12).toString('base64url'),
      azp: EMULATOR_CLIENT_APP_ID,
      azpacr: '0',
      name: displayNameOf(user),
      oid,
      preferred_username: user,
      rh: randomBytes(12).toString('base64url'),
      ...(roles.length > 0 ? { roles: [...roles] } : {}),
      scp: 'access_as_user',
      sub: createHash('sha256').update(`${clientId}:${oid}`).digest('base64url').slice(0, 43),
      tid: tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
      ...options.claims,
    };
    return sign(claims);
  };

  return {
    tenantId,
    clientId,
    get issuer() {
      return issuerOf();
    },
    get jwksUri() {
      return `${baseUrl()}/${tenantId}/discovery/v2.0/keys`;
    },
    tokenFor,
    idTokenFor: (user, roles, { clientId: aud, nonce }) =>
      tokenFor(user, roles, { audience: aud, claims: { nonce, scp: undefined, azp: undefined, azpacr: undefined, uti: undefined } }),
    async issue(user, roles, options) {
      const lifetime = options?.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
      return { access_token: await tokenFor(user, roles, options), token_type: 'Bearer', expires_in: Math.max(0, lifetime) };
    },
    sign,
    objectIdOf,
    jwks: () => ({ keys: [{ ...jwk }] }),
    openIdConfiguration: () => {
      const base = `${baseUrl()}/${tenantId}`;
      return {
        issuer: issuerOf(),
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${baseUrl()}/_emulator/entra/token`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'nonce', 'oid', 'preferred_username', 'roles', 'tid', 'ver'],
        tenant_region_scope: null,
      };
    },
  };
}

/** A stable GUID-shaped object id for a user name (the same user gets the same oid in every run). */
export function objectIdOf(user: string): string {
  const h = createHash('sha256').update(`oid:${user.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function displayNameOf(user: string): string {
  const local = user.split('@')[0] ?? user;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}
