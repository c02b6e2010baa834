// A browser that arrives without any credentials is sent to App Service authentication's sign-in and back, as the
// platform's RedirectToLoginPage does in Azure (locally the host plays it); refused credentials and a missing app
// role still get their problem+json, and so does a script (which sends no `Accept: text/html`).
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/** A path on this site: one "/" not followed by another "/" or "\\" (which browsers read as a host). */
const SITE_PATH = /^\/(?![/\\])/;

/**
 * 302 to `/.auth/login/aad` coming back to `returnTo`, or undefined when the request is not a bare browser visit.
 * `returnTo` must be a path on this site ("/…"); anything else ("https://…", "//host/…", "/\\host") comes back to "/",
 * so the sign-in can never become an open redirect.
 */
export function signInRedirect(request: Pick<HttpRequest, 'headers'>, status: number | undefined, returnTo: string, browsersOnly = true): HttpResponseInit | undefined {
  if (status !== 401) return undefined;
  if (request.headers.get('authorization') !== null || request.headers.get('x-ms-client-principal') !== null) return undefined;
  if (browsersOnly && !(request.headers.get('accept') ?? '').includes('text/html')) return undefined;
  const back = SITE_PATH.test(returnTo) ? returnTo : '/';
  return { status: 302, headers: { location: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`, 'cache-control': 'no-store' } };
}
