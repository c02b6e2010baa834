// The local host plays App Service authentication ("Easy Auth") for browsers, as the platform does in front of the
// app in Azure (Learn "Authentication and authorization in Azure App Service", "Customize sign-in and sign-out",
// "Work with user identities"): /.auth/login/aad sends the browser to the tenant's authorize endpoint (here the
// emulator's sign-in page) for an OpenID Connect ID token (response_mode=form_post), /.auth/login/aad/callback checks
// it (signature, issuer, audience, nonce, expiry) and starts a session held in the AppServiceAuthSession cookie,
// /.auth/me shows the session, /.auth/logout ends it. On every app request the host strips client copies of
// x-ms-client-principal* and injects the session's principal, and the app runs with WEBSITE_AUTH_ENABLED=true.
// Unauthenticated requests pass through (Easy Auth's "allow unauthenticated access"), so bearer-token clients work.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from 'jose';
import { fetchTrusting } from '../../http/jwks-fetch.js';

export interface PlatformAuthOptions {
  /** The tenant's v2.0 issuer, `{authority}/{tenant}/v2.0`; authorize and keys endpoints are derived from it. */
  issuer: string;
  /** Client id of the app registration the platform signs users in with. */
  clientId: string;
  /** Extra CA (PEM) for the authority's HTTPS endpoint (the emulator's). */
  ca?: string;
  /** Session lifetime; App Service's default cookie expiration is 8 hours (authsettingsV2 login.cookieExpiration). */
  sessionSeconds?: number;
}

interface Session {
  claims: { typ: string; val: string }[];
  name: string;
  oid?: string;
  idToken: string;
  expiresAt: number;
}

export interface PlatformAuth {
  /** Serves a `/.auth/…` request; false when the path is not one of its routes. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<boolean>;
  /** Rewrites an app request's headers (lower-case keys) as the platform does: client copies out, session in. */
  rewrite(headers: Record<string, string>): void;
}

export const SESSION_COOKIE = 'AppServiceAuthSession';
const STRIPPED = /^x-ms-(client-principal|token-)/;

export function createPlatformAuth(o: PlatformAuthOptions): PlatformAuth {
  const authority = o.issuer.replace(/\/v2\.0\/?$/, '');
  const keys = createRemoteJWKSet(new URL(`${authority}/discovery/v2.0/keys`), o.ca ? { [customFetch]: fetchTrusting(o.ca) } : {});
  const sessions = new Map<string, Session>();
  const pending = new Map<string, { nonce: string; redirect: string; expiresAt: number }>();
  const sessionMs = (o.sessionSeconds ?? 8 * 3600) * 1000;

  const sessionOf = (cookieHeader: string | undefined): Session | undefined => {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    const s = id ? sessions.get(id) : undefined;
    if (s && s.expiresAt <= Date.now()) sessions.delete(id!);
    return s && s.expiresAt > Date.now() ? s : undefined;
  };

  const login = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const redirect = sameSite(url.searchParams.get('post_login_redirect_uri'), url) ?? '/';
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    pending.set(state, { nonce, redirect, expiresAt: Date.now() + 10 * 60_000 });
    const authorize = new URL(`${authority}/oauth2/v2.0/authorize`);
    const callback = `${url.protocol}//${req.headers.host ?? url.host}/.auth/login/aad/callback`;
    for (const [k, v] of Object.entries({ client_id: o.clientId, response_type: 'id_token', response_mode: 'form_post', redirect_uri: callback, scope: 'openid profile email', state, nonce })) {
      authorize.searchParams.set(k, v);
    }
    send(res, 302, '', { location: authorize.href, 'cache-control': 'no-store' });
  };

  const callback = async (res: ServerResponse, body: Buffer): Promise<void> => {
    const form = new URLSearchParams(body.toString('utf8'));
    const login = pending.get(form.get('state') ?? '');
    pending.delete(form.get('state') ?? '');
    if (!login || login.expiresAt < Date.now()) return send(res, 401, 'Sign-in expired or unknown (state); start again at /.auth/login/aad.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(form.get('id_token') ?? '', keys, { issuer: o.issuer, audience: o.clientId, algorithms: ['RS256'], clockTolerance: 60 }));
    } catch (e) {
      return send(res, 401, `The ID token was refused: ${(e as Error).message}`);
    }
    if (payload.nonce !== login.nonce) return send(res, 401, 'The ID token does not answer this sign-in (nonce).');
    const id = randomBytes(32).toString('base64url');
    const name = String(payload.preferred_username ?? payload.upn ?? payload.sub ?? '');
    sessions.set(id, { claims: claimsOf(payload), name, oid: typeof payload.oid === 'string' ? payload.oid : undefined, idToken: form.get('id_token')!, expiresAt: Date.now() + sessionMs });
    send(res, 302, '', { location: login.redirect, 'set-cookie': `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`, 'cache-control': 'no-store' });
  };

  return {
    async handle(req, res, url, body) {
      const path = url.pathname.toLowerCase().replace(/\/+$/, '');
      const method = (req.method ?? 'GET').toUpperCase();
      if (path === '/.auth/login/aad' && method === 'GET') return (login(req, res, url), true);
      if (path === '/.auth/login/aad/callback' && method === 'POST') return (await callback(res, body), true);
      if (path === '/.auth/me' && method === 'GET') {
        const s = sessionOf(req.headers.cookie);
        if (!s) return (send(res, 401, ''), true);
        const me = [{ provider_name: 'aad', user_id: s.name, user_claims: s.claims, id_token: s.idToken, expires_on: new Date(s.expiresAt).toISOString() }];
        return (send(res, 200, JSON.stringify(me), { 'content-type': 'application/json' }), true);
      }
      if (path === '/.auth/logout' && method === 'GET') {
        const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
        if (id) sessions.delete(id);
        const to = sameSite(url.searchParams.get('post_logout_redirect_uri'), url) ?? '/.auth/logout/complete';
        return (send(res, 302, '', { location: to, 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` }), true);
      }
      if (path === '/.auth/logout/complete' && method === 'GET') {
        return (send(res, 200, '<!doctype html><title>Signed out</title><p>You have signed out. <a href="/.auth/login/aad">Sign in again</a>.</p>', { 'content-type': 'text/html; charset=utf-8' }), true);
      }
      return false;
    },

    rewrite(headers) {
      const cookie = headers.cookie;
      for (const k of Object.keys(headers)) if (STRIPPED.test(k)) delete headers[k];
      const s = sessionOf(cookie);
      if (!s) return;
      const principal = { auth_typ: 'aad', name_typ: 'preferred_username', role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', claims: s.claims };
      headers['x-ms-client-principal'] = Buffer.from(JSON.stringify(principal)).toString('base64');
      headers['x-ms-client-principal-name'] = s.name;
      if (s.oid) headers['x-ms-client-principal-id'] = s.oid;
      headers['x-ms-client-principal-idp'] = 'aad';
      headers['x-ms-token-aad-id-token'] = s.idToken;
    },
  };
}

/** The ID token's claims as the platform lists them: one {typ, val} per value, the object id under its mapped type. */
function claimsOf(p: JWTPayload): { typ: string; val: string }[] {
  const out: { typ: string; val: string }[] = [];
  for (const [k, v] of Object.entries(p)) {
    const typ = k === 'oid' ? 'http://schemas.microsoft.com/identity/claims/objectidentifier' : k === 'roles' ? 'roles' : k;
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null) out.push({ typ, val: String(one) });
  }
  return out;
}

/** A redirect target on this host only (a path, or an absolute URL of the same origin), else undefined. */
function sameSite(target: string | null, base: URL): string | undefined {
  if (!target) return undefined;
  try {
    const u = new URL(target, base);
    return u.origin === base.origin && !target.startsWith('//') ? `${u.pathname}${u.search}${u.hash}` : undefined;
  } catch {
    return undefined;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}
