// Reads the caller App Service authentication injects: x-ms-client-principal (base64 JSON
// `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`), x-ms-client-principal-name and -id (Learn "Work with
// user identities in Azure App Service authentication"). Total: any input gives a principal or a reason, never a throw.
// Whether to trust these headers at all is decided by the caller (src/http/identity.ts).

/** What the platform says about the signed-in user. */
export interface PlatformPrincipal {
  name: string;
  id?: string;
  roles: string[];
}

export type PrincipalOutcome = { ok: true; principal: PlatformPrincipal } | { ok: false; reason: string };

/** Largest header read; the platform's principal is a few kB. */
export const MAX_PRINCIPAL_LENGTH = 32 * 1024;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const ROLE_CLAIMS = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
// The sign-in name first, as a bearer token's preferred_username/upn, so a person owns the same jobs from the browser
// and from a script; the display name (`name`) is never used, it is not unique.
const NAME_CLAIMS = ['preferred_username', 'upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn'];
const OID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];

type Headers = { get(name: string): string | null };

/** The principal of the platform headers, or what is wrong with them. */
export function readClientPrincipal(headers: Headers): PrincipalOutcome {
  const encoded = headers.get('x-ms-client-principal')?.trim() ?? '';
  if (encoded.length > MAX_PRINCIPAL_LENGTH) return bad(`is longer than ${MAX_PRINCIPAL_LENGTH} characters`);
  if (!BASE64.test(encoded) || encoded.length === 0) return bad('is not base64');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return bad('is not base64-encoded JSON');
  }
  if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) return bad('is not a JSON object');
  const p = decoded as Record<string, unknown>;
  if (!Array.isArray(p.claims)) return bad('has no "claims" list');
  const claims: { typ: string; val: string }[] = [];
  for (const c of p.claims as unknown[]) {
    const claim = c as { typ?: unknown; val?: unknown } | null;
    if (!claim || typeof claim !== 'object' || typeof claim.typ !== 'string' || typeof claim.val !== 'string') {
      return bad('has a claim that is not {"typ": string, "val": string}');
    }
    claims.push({ typ: claim.typ, val: claim.val });
  }
  for (const field of ['name_typ', 'role_typ', 'auth_typ'] as const) {
    if (p[field] !== undefined && p[field] !== null && typeof p[field] !== 'string') return bad(`has a "${field}" that is not a string`);
  }
  // Values in the order of `types` (then of the claims): the order of NAME_CLAIMS is a preference, not a set.
  const valuesOf = (types: (string | undefined | null)[]) => {
    const wanted = new Set(types.filter((t): t is string => typeof t === 'string' && t !== ''));
    return [...wanted].flatMap((t) => claims.filter((c) => c.typ === t).map((c) => c.val));
  };
  const roles = [...new Set(valuesOf([p.role_typ as string | undefined, ...ROLE_CLAIMS]))];
  const name = [...valuesOf(NAME_CLAIMS), headers.get('x-ms-client-principal-name') ?? '', ...valuesOf([p.name_typ as string | undefined])]
    .map((v) => v.trim())
    .find((v) => v !== '');
  if (!name) return bad('names no user (no name claim and no x-ms-client-principal-name)');
  const id = headers.get('x-ms-client-principal-id')?.trim() || valuesOf(OID_CLAIMS)[0];
  return { ok: true, principal: { name, id: id || undefined, roles } };
}

function bad(what: string): PrincipalOutcome {
  return { ok: false, reason: `the x-ms-client-principal header ${what}` };
}
