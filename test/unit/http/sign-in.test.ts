// A bare browser visit refused with 401 goes to App Service authentication's sign-in and back to where it was going;
// anything else (a script, refused credentials, another status) keeps its problem+json.
import { describe, expect, it } from 'vitest';
import { signInRedirect } from '../../../src/http/sign-in.js';

const browser = (extra: Record<string, string> = {}) => ({ headers: new Headers({ accept: 'text/html,application/xhtml+xml;q=0.9', ...extra }) });

describe('sign-in redirect', () => {
  it('sends a bare browser visit refused with 401 to /.auth/login/aad, coming back to the encoded path', () => {
    expect(signInRedirect(browser(), 401, '/api/connect/gpu?kind=ssh&x=a b')).toEqual({
      status: 302,
      headers: { location: '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconnect%2Fgpu%3Fkind%3Dssh%26x%3Da%20b', 'cache-control': 'no-store' },
    });
  });

  it('encodes a return target so it cannot add its own query parameters to the sign-in URL', () => {
    const r = signInRedirect(browser(), 401, '/x&post_login_redirect_uri=https://evil.example/');
    expect((r?.headers as Record<string, string>).location).toBe('/.auth/login/aad?post_login_redirect_uri=%2Fx%26post_login_redirect_uri%3Dhttps%3A%2F%2Fevil.example%2F');
  });

  it.each([
    ['https://evil.example/', '%2F'],
    ['//evil.example/x', '%2F'],
    ['/\\evil.example/x', '%2F'],
    ['javascript:alert(1)', '%2F'],
    ['', '%2F'],
    ['/', '%2F'],
    ['/a//b', '%2Fa%2F%2Fb'],
  ])('never sends the browser off the site: return target %j comes back as %s', (returnTo, encoded) => {
    const r = signInRedirect(browser(), 401, returnTo);
    expect((r?.headers as Record<string, string>).location).toBe(`/.auth/login/aad?post_login_redirect_uri=${encoded}`);
  });

  it.each([200, 302, 403, 500, undefined])('leaves status %s alone', (status) => {
    expect(signInRedirect(browser(), status, '/api/dashboard')).toBeUndefined();
  });

  it('leaves refused credentials alone: a bearer token or a platform principal keeps its 401 problem', () => {
    expect(signInRedirect(browser({ authorization: 'Bearer x' }), 401, '/')).toBeUndefined();
    expect(signInRedirect(browser({ authorization: '' }), 401, '/')).toBeUndefined();
    expect(signInRedirect(browser({ 'x-ms-client-principal': 'e30=' }), 401, '/')).toBeUndefined();
  });

  it('leaves a script (no Accept: text/html) alone unless told every caller is a browser', () => {
    const script = { headers: new Headers({ accept: 'application/json' }) };
    const bare = { headers: new Headers() };
    expect(signInRedirect(script, 401, '/api/dashboard')).toBeUndefined();
    expect(signInRedirect(bare, 401, '/api/dashboard')).toBeUndefined();
    expect(signInRedirect(bare, 401, '/api/dashboard', false)).toMatchObject({ status: 302 });
  });
});
