// readClientPrincipal: which claim names the user, where the id and roles come from, and the size and shape limits
// of the x-ms-client-principal header (Learn "Work with user identities in Azure App Service authentication").
import { describe, expect, it } from 'vitest';
import { readClientPrincipal } from '../../../src/http/client-principal.js';

const ROLE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
const UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const encode = (p: unknown) => Buffer.from(JSON.stringify(p)).toString('base64');
const read = (p: unknown, extra: Record<string, string> = {}) => readClientPrincipal(new Headers({ 'x-ms-client-principal': typeof p === 'string' ? p : encode(p), ...extra }));
const claim = (typ: string, val: string) => ({ typ, val });

describe('readClientPrincipal: the name', () => {
  it.each([
    ['preferred_username first', [claim('name', 'Alice Smith'), claim(UPN, 'u@x'), claim('upn', 'upn@x'), claim('preferred_username', 'p@x')], {}, 'p@x'],
    // As a bearer token is named (preferred_username first), so a guest owns the same jobs from browser and script.
    ['a guest by preferred_username, not the #EXT# upn listed before it', [claim(UPN, 'alice_example.com#EXT#@contoso.onmicrosoft.com'), claim('preferred_username', 'alice@example.com')], {}, 'alice@example.com'],
    ['then upn', [claim(UPN, 'u@x'), claim('upn', 'upn@x')], {}, 'upn@x'],
    ['then the xmlsoap upn claim', [claim(UPN, 'u@x')], {}, 'u@x'],
    ['then x-ms-client-principal-name', [claim('custom', 'c@x')], { 'x-ms-client-principal-name': 'h@x' }, 'h@x'],
    ['then the claim name_typ names', [claim('custom', ' c@x ')], {}, 'c@x'],
    ['skipping blank values', [claim('preferred_username', '  '), claim('upn', 'upn@x')], {}, 'upn@x'],
    ['never the display name', [claim('name', 'Alice Smith'), claim('upn', 'upn@x')], {}, 'upn@x'],
  ])('%s', (_what, claims, extra, name) => {
    const r = read({ name_typ: 'custom', claims }, extra);
    expect(r.ok && r.principal.name).toBe(name);
  });

  it('refuses a principal that names no one', () => {
    expect(read({ claims: [claim('name', 'Alice Smith')] }, { 'x-ms-client-principal-name': ' ' })).toEqual({
      ok: false,
      reason: 'the x-ms-client-principal header names no user (no name claim and no x-ms-client-principal-name)',
    });
    // An empty name_typ names no claim, not the claims with an empty type.
    expect(read({ name_typ: '', claims: [claim('', 'nobody@x')] }).ok).toBe(false);
  });
});

describe('readClientPrincipal: id and roles', () => {
  it('takes the id from x-ms-client-principal-id (trimmed), else the objectidentifier claim, else oid', () => {
    const claims = [claim('upn', 'a@x'), claim('oid', 'o2'), claim(OID, 'o1')];
    expect(read({ claims }, { 'x-ms-client-principal-id': ' h1 ' })).toMatchObject({ ok: true, principal: { id: 'h1' } });
    expect(read({ claims })).toMatchObject({ ok: true, principal: { id: 'o1' } });
    expect(read({ claims: [claim('upn', 'a@x'), claim('oid', 'o2')] })).toMatchObject({ ok: true, principal: { id: 'o2' } });
    expect(read({ claims: [claim('upn', 'a@x')] }, { 'x-ms-client-principal-id': ' ' })).toEqual({ ok: true, principal: { name: 'a@x', id: undefined, roles: [] } });
    expect(read({ claims: [claim('upn', 'a@x'), claim('oid', '')] })).toEqual({ ok: true, principal: { name: 'a@x', id: undefined, roles: [] } });
  });

  it('reads roles from role_typ, "roles" and the ws/2008 role claim, once each', () => {
    const r = read({ role_typ: 'groupsAsRoles', claims: [claim('upn', 'a@x'), claim('groupsAsRoles', 'G'), claim('roles', 'R'), claim(ROLE, 'W'), claim('roles', 'G'), claim('scp', 'S')] });
    expect(r).toEqual({ ok: true, principal: { name: 'a@x', id: undefined, roles: ['G', 'R', 'W'] } });
  });

  it('accepts null for name_typ, role_typ and auth_typ', () => {
    expect(read({ name_typ: null, role_typ: null, auth_typ: null, claims: [claim('upn', 'a@x')] }).ok).toBe(true);
  });
});

describe('readClientPrincipal: what it refuses', () => {
  const reason = (what: string) => ({ ok: false, reason: `the x-ms-client-principal header ${what}` });

  it('reads a header of up to 32,768 characters and refuses longer ones', () => {
    const body = { claims: [claim('upn', 'a@x'), claim('pad', '')] };
    const base = encode(body).length;
    // Each 3 bytes of padding are 4 base64 characters: land on 32,768 exactly.
    const pad = ((32_768 - base) / 4) * 3;
    const exact = encode({ claims: [claim('upn', 'a@x'), claim('pad', 'x'.repeat(pad))] });
    expect(exact.length).toBe(32_768);
    expect(read(exact).ok).toBe(true);
    expect(read(` ${exact} `).ok).toBe(true);
    expect(read(exact + '=')).toEqual(reason('is longer than 32768 characters'));
  });

  it.each([
    ['an empty header', '', 'is not base64'],
    ['spaces', '   ', 'is not base64'],
    ['three padding characters', 'e30===', 'is not base64'],
    ['a character outside base64', 'e30*', 'is not base64'],
    ['a JSON array', encode([]), 'is not a JSON object'],
    ['a JSON string', encode('x'), 'is not a JSON object'],
    ['a claim without typ', encode({ claims: [{ val: 'a' }] }), 'has a claim that is not {"typ": string, "val": string}'],
    ['a claim that is a string', encode({ claims: ['upn'] }), 'has a claim that is not {"typ": string, "val": string}'],
    ['a numeric role_typ', encode({ role_typ: 1, claims: [] }), 'has a "role_typ" that is not a string'],
    ['a numeric auth_typ', encode({ auth_typ: 1, claims: [] }), 'has a "auth_typ" that is not a string'],
  ])('refuses %s', (_what, value, what) => {
    expect(read(value)).toEqual(reason(what));
  });

  it('accepts base64url and one or two padding characters', () => {
    const url = Buffer.from(JSON.stringify({ claims: [claim('upn', 'a?>~@x')] })).toString('base64url');
    expect(url).toMatch(/[-_]/);
    expect(read(url)).toMatchObject({ ok: true, principal: { name: 'a?>~@x' } });
    expect(read(encode({ claims: [claim('upn', 'ab@x')] }))).toMatchObject({ ok: true });
  });
});
