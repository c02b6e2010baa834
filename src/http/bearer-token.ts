// Validates `Authorization: Bearer` Microsoft Entra access tokens (v2.0) with jose: RS256 signature against the
// tenant's published keys, issuer `{authority}/{tenant}/v2.0`, audience, exp/nbf against the WALL clock (the app's
// clock may be simulated; tokens live in real time), then the claims the app uses. Facts: Learn "Access token claims
// reference" (aud of a v2.0 token is the API's client id; iss ends in /v2.0; roles holds the user's app roles) and
// "OpenID Connect on the Microsoft identity platform" (keys at {authority}/{tenant}/discovery/v2.0/keys).
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { EntraConfig } from '../config.js';
import { fetchTrusting } from './jwks-fetch.js';

/** Entra signs access tokens with RS256; anything else (none, HS256 with the public key as secret, …) is refused. */
export const ACCEPTED_ALGORITHMS = ['RS256'];
/** Clock skew allowed on exp and nbf, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;
/** Longest token read at all; Entra tokens are a few kB. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/** What a valid token says about its subject. */
export interface TokenIdentity {
  /** preferred_username (v2.0) or upn/unique_name; for an app-only token `app:{azp}`. */
  name: string;
  oid?: string;
  roles: string[];
}

export type TokenOutcome =
  | { ok: true; identity: TokenIdentity }
  /** `invalid`: the token is refused (401); `unavailable`: the tenant's keys could not be read (503). */
  | { ok: false; kind: 'invalid' | 'unavailable'; reason: string };

export type BearerVerifier = (token: string) => Promise<TokenOutcome>;

export interface VerifierOptions {
  /** Extra CA (PEM) for the issuer's HTTPS endpoint (the local emulator). */
  ca?: string;
  /** Wall-clock time; tests may pin it. Never the app's simulated clock. */
  now?: () => Date;
  /** The key resolver; default the tenant's remote JWKS (cached by jose). */
  keys?: JWTVerifyGetKey;
}

/** `{authority}/{tenant}/v2.0`: the `iss` of the tenant's v2.0 tokens. */
export const issuerOf = (entra: EntraConfig): string => `${entra.authorityHost}/${entra.tenantId}/v2.0`;
/** `{authority}/{tenant}/discovery/v2.0/keys`: the tenant's signing keys (the jwks_uri of its OpenID configuration). */
export const jwksUriOf = (entra: EntraConfig): string => `${entra.authorityHost}/${entra.tenantId}/discovery/v2.0/keys`;

export function createBearerVerifier(entra: EntraConfig, o: VerifierOptions = {}): BearerVerifier {
  const keys = o.keys ?? remoteKeys(jwksUriOf(entra), o.ca);
  const issuer = issuerOf(entra);
  const now = o.now ?? (() => new Date());
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH) return invalid(`the token is longer than ${MAX_TOKEN_LENGTH} characters`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: entra.audiences,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now(),
        requiredClaims: ['exp', 'tid'],
      }));
    } catch (error) {
      return refusal(error, { issuer, audiences: entra.audiences });
    }
    if (payload.tid !== entra.tenantId) return invalid(`the token's tenant (tid) is not ${entra.tenantId}`);
    return identityOf(payload);
  };
}

/** The subject of a verified token, or why its claims cannot name one. */
export function identityOf(p: JWTPayload): TokenOutcome {
  const roles = p.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) return invalid('the "roles" claim is not a list of strings');
  const oid = typeof p.oid === 'string' ? p.oid : undefined;
  const userName = [p.preferred_username, p.upn, p.unique_name].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const client = [p.azp, p.appid].find((v): v is string => typeof v === 'string' && v !== '');
  const name = userName?.trim() ?? (client && p.scp === undefined ? `app:${client}` : undefined);
  if (!name) return invalid('the token names no user (preferred_username or upn) and is not an application token (azp)');
  return { ok: true, identity: { name, oid, roles: roles as string[] } };
}

/** Thrown by the key resolver when the tenant's key set cannot be fetched or read: the issuer's fault, not the token's. */
class KeysUnavailable extends Error {
  readonly code = 'KEYS_UNAVAILABLE';
}

/** The tenant's remote JWKS (cached by jose: 10 min, refetched at most every 30 s for an unknown kid). */
function remoteKeys(url: string, ca?: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), ca ? { [customFetch]: fetchTrusting(ca) } : {});
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === errors.JWKSNoMatchingKey.code || code === errors.JWKSMultipleMatchingKeys.code) throw error;
      throw new KeysUnavailable((error as Error).message, { cause: error });
    }
  };
}

function invalid(reason: string): TokenOutcome {
  return { ok: false, kind: 'invalid', reason };
}

/** jose's error → a reason a person can act on (never the token itself). */
function refusal(error: unknown, expected: { issuer: string; audiences: string[] }): TokenOutcome {
  const e = error as { code?: string; claim?: string; message?: string };
  switch (e.code) {
    case errors.JWTExpired.code:
      return invalid('the token has expired; get a new one');
    case errors.JWTClaimValidationFailed.code:
      if (e.claim === 'aud') return invalid(`the token is for another audience; it must be one of ${expected.audiences.join(', ')}`);
      if (e.claim === 'iss') return invalid(`the token was issued by another issuer; it must be ${expected.issuer}`);
      if (e.claim === 'nbf') return invalid('the token is not valid yet (nbf is in the future)');
      return invalid(`the token's "${e.claim ?? '?'}" claim is missing or wrong`);
    case errors.JOSEAlgNotAllowed.code:
    case errors.JOSENotSupported.code:
      return invalid(`the token is not signed with ${ACCEPTED_ALGORITHMS.join(' or ')}, the algorithm Entra ID uses`);
    case errors.JWSSignatureVerificationFailed.code:
      return invalid("the token's signature does not verify against the tenant's keys");
    case errors.JWKSNoMatchingKey.code:
    case errors.JWKSMultipleMatchingKeys.code:
      return invalid('the token is signed with a key (kid) the tenant does not publish');
    case errors.JWSInvalid.code:
    case errors.JWTInvalid.code:
      return invalid('the token is not a well-formed signed JWT (three base64url parts: header.payload.signature)');
    case 'KEYS_UNAVAILABLE':
      return { ok: false, kind: 'unavailable', reason: "the tenant's signing keys could not be read; try again shortly" };
    default:
      return invalid('the token could not be read as a signed JWT');
  }
}
