// Who is calling. In Azure, App Service authentication (Easy Auth) puts the signed-in principal in
// x-ms-client-principal (base64 JSON) and x-ms-client-principal-name; the platform strips these headers from
// outside requests, so they can be trusted. Locally, DSVMPOOL_DEV_IDENTITY names a developer identity.
import type { HttpRequest } from '@azure/functions';

export interface Caller {
  /** Stable user name (UPN or principal name); jobs are owned by it. */
  user: string;
  /** Object id where known. */
  id?: string;
  roles: string[];
  isAdmin: boolean;
}

interface ClientPrincipal {
  auth_typ?: string;
  name_typ?: string;
  role_typ?: string;
  claims?: { typ: string; val: string }[];
}

const ROLE_CLAIMS = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const NAME_CLAIMS = ['preferred_username', 'name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn'];
const OID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];

export interface IdentityOptions {
  adminRole: string;
  devIdentity?: string;
}

/** The caller, or undefined when the request carries no identity (→ 401). */
export function callerOf(request: Pick<HttpRequest, 'headers'>, options: IdentityOptions): Caller | undefined {
  const encoded = request.headers.get('x-ms-client-principal');
  if (encoded) {
    let principal: ClientPrincipal;
    try {
      principal = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as ClientPrincipal;
    } catch {
      return undefined;
    }
    const claims = principal.claims ?? [];
    const roleTypes = new Set([...ROLE_CLAIMS, principal.role_typ].filter(Boolean));
    const roles = claims.filter((c) => roleTypes.has(c.typ)).map((c) => c.val);
    const nameTypes = [principal.name_typ, ...NAME_CLAIMS].filter(Boolean) as string[];
    const name =
      request.headers.get('x-ms-client-principal-name') ??
      nameTypes.map((t) => claims.find((c) => c.typ === t)?.val).find(Boolean);
    if (!name) return undefined;
    const id = request.headers.get('x-ms-client-principal-id') ?? OID_CLAIMS.map((t) => claims.find((c) => c.typ === t)?.val).find(Boolean);
    return { user: name.toLowerCase(), id: id ?? undefined, roles, isAdmin: roles.includes(options.adminRole) };
  }
  if (options.devIdentity) {
    const [user, flag] = options.devIdentity.split(':');
    if (!user) return undefined;
    const roles = flag === 'admin' ? [options.adminRole] : [];
    return { user: user.toLowerCase(), roles, isAdmin: flag === 'admin' };
  }
  return undefined;
}

/** Builds the header a test or a local client sends to act as a given user. */
export function principalHeader(user: string, roles: string[] = []): Record<string, string> {
  const principal: ClientPrincipal = {
    auth_typ: 'aad',
    name_typ: 'preferred_username',
    role_typ: 'roles',
    claims: [{ typ: 'preferred_username', val: user }, ...roles.map((r) => ({ typ: 'roles', val: r }))],
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64') };
}
