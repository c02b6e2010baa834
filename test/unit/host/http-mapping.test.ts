// Worker responses → HTTP: status, headers, cookies, body; and function-key checks.
import { describe, expect, it } from 'vitest';
import { isAuthorized, keysFromSettings } from '../../../src/local/host/function-keys.js';
import { fromRpcHttpResponse, serializeCookie } from '../../../src/local/host/http-mapping.js';

describe('fromRpcHttpResponse', () => {
  it('maps status, headers, cookies and body bytes', () => {
    const r = fromRpcHttpResponse({
      http: {
        statusCode: '201',
        headers: { 'content-type': 'application/json' },
        cookies: [{ name: 'a', value: 'b', secure: { value: true }, sameSite: 'explicitNone', maxAge: { value: 60 } }],
        body: { bytes: Buffer.from('{"ok":true}') },
      },
    });
    expect(r.status).toBe(201);
    expect(r.headers).toEqual([
      ['content-type', 'application/json'],
      ['set-cookie', 'a=b; Max-Age=60; Secure; SameSite=None'],
    ]);
    expect(r.body.toString()).toBe('{"ok":true}');
  });

  it('answers 204 when the function returned nothing', () => {
    expect(fromRpcHttpResponse(undefined)).toMatchObject({ status: 204 });
  });

  it('writes Expires from the RPC timestamp', () => {
    expect(serializeCookie({ name: 'x', value: 'y', expires: { value: { seconds: 0, nanos: 0 } } })).toBe('x=y; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });
});

describe('function keys', () => {
  const keys = { functionKeys: ['f1', 'f2'], masterKey: 'm' };

  it.each([
    ['anonymous', undefined, true],
    ['function', undefined, false],
    ['function', 'f2', true],
    ['function', 'm', true],
    ['function', 'nope', false],
    ['admin', 'f1', false],
    ['admin', 'm', true],
  ])('authLevel %s with key %s → %s', (level, key, allowed) => {
    expect(isAuthorized(level, key, keys)).toBe(allowed);
  });

  it('lets everything through when no keys are configured, as Core Tools does', () => {
    expect(isAuthorized('admin', undefined, keysFromSettings({}))).toBe(true);
  });

  it('reads comma-separated function keys and the admin key from settings', () => {
    expect(keysFromSettings({ DSVMPOOL_LOCAL_FUNCTION_KEY: 'a, b', DSVMPOOL_LOCAL_ADMIN_KEY: 'm' })).toEqual({ functionKeys: ['a', 'b'], masterKey: 'm' });
  });
});
