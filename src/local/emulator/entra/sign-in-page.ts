// Entra's authorize endpoint for browsers, reduced to what a local sign-in needs: a page asking for a user name and
// an app role (no password: the emulator trusts whoever sits at the machine), then an ID token handed back to the
// app's redirect URI with response_mode=form_post, as Entra does for App Service authentication. Only loopback
// redirect URIs are accepted: the emulator signs nobody into anything off this machine.
import { errorResponse } from '../error-body.js';
import type { EmuResponse, Route } from '../route.js';
import type { EntraIssuer } from './entra-issuer.js';

/** The roles the sign-in page offers (the app registration's app roles). */
export const SIGN_IN_ROLES = ['DsvmPool.User', 'DsvmPool.Admin'];
const FIELDS = ['client_id', 'redirect_uri', 'state', 'nonce', 'response_mode', 'response_type', 'scope'] as const;

export function createSignInRoutes(issuer: EntraIssuer): Route[] {
  const pattern = `/${issuer.tenantId}/oauth2/v2.0/authorize`;
  return [
    { method: 'GET', pattern, operation: 'entra.authorize', family: 'entra', handle: (req) => page(issuer, Object.fromEntries(req.query)) },
    {
      method: 'POST',
      pattern,
      operation: 'entra.signIn',
      family: 'entra',
      handle: async (req) => {
        const form = Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
        const bad = checkRequest(issuer, form);
        if (bad) return bad;
        const user = (form.user ?? '').trim();
        if (!/^[^\s@]+@[^\s@]+$/.test(user) || user.length > 256) return page(issuer, form, 'Enter a user name like alice@example.com.');
        const roles = SIGN_IN_ROLES.includes(form.role ?? '') ? [form.role!] : [];
        const idToken = await issuer.idTokenFor(user, roles, { clientId: form.client_id!, nonce: form.nonce! });
        return html(200, `<title>Signing in…</title>
<form method="post" action="${esc(form.redirect_uri!)}" id="back">
<input type="hidden" name="id_token" value="${esc(idToken)}"><input type="hidden" name="state" value="${esc(form.state!)}">
<noscript><button>Continue</button></noscript></form>
<script>document.getElementById('back').submit()</script>`);
      },
    },
  ];
}

function page(issuer: EntraIssuer, q: Record<string, string>, message?: string): EmuResponse {
  const bad = checkRequest(issuer, q);
  if (bad) return bad;
  const hidden = FIELDS.filter((f) => q[f] !== undefined).map((f) => `<input type="hidden" name="${f}" value="${esc(q[f]!)}">`).join('');
  const options = [...SIGN_IN_ROLES.map((r) => `<option value="${r}"${q.role === r ? ' selected' : ''}>${r}</option>`), '<option value="">no app role</option>'].join('');
  return html(200, `<title>Sign in – dsvm-pool local Entra ID</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:1rem 0 .3rem}input,select,button{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{margin-top:1.2rem}</style>
<h1>Sign in</h1>
<p>Local Microsoft Entra ID (the emulator, tenant ${esc(issuer.tenantId)}). No password: pick who you are.</p>
${message ? `<p role="alert" id="error">${esc(message)}</p>` : ''}
<form method="post">${hidden}
<label for="user">User name</label><input id="user" name="user" autocomplete="username" required value="${esc(q.user ?? '')}" placeholder="alice@example.com">
<label for="role">App role</label><select id="role" name="role">${options}</select>
<button type="submit" id="sign-in">Sign in</button></form>`);
}

/** The error page for a request Entra would refuse too (unknown client, not an OpenID Connect ID token request). */
function checkRequest(issuer: EntraIssuer, q: Record<string, string>): EmuResponse | undefined {
  const problem =
    q.client_id !== issuer.clientId ? `client_id must be the app registration's client id ${issuer.clientId}.`
    : !(q.response_type ?? '').split(' ').includes('id_token') ? 'response_type must include id_token.'
    : !q.nonce || !q.state ? 'nonce and state are required.'
    : !isLoopback(q.redirect_uri) ? 'redirect_uri must be an http(s) URL on this machine (127.0.0.1 or localhost).'
    : undefined;
  return problem ? { ...errorResponse('entra', 400, 'AADSTS900144', problem), body: `<title>Sign-in error</title><p>${esc(problem)}</p>`, headers: { 'content-type': 'text/html; charset=utf-8' } } : undefined;
}

function isLoopback(uri: string | undefined): boolean {
  try {
    const u = new URL(uri ?? '');
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

function html(status: number, body: string): EmuResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: `<!doctype html><html lang="en"><meta charset="utf-8">${body}</html>` };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

