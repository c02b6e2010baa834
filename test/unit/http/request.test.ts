// Reading a JSON request body and a query the same way for every endpoint: the content types taken as JSON, the size
// limit at its edge (declared and actual), JSON syntax, and field errors with dotted paths, each a problem+json.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrors, invalidFields, isJsonContentType, readJsonBody, readQuery } from '../../../src/http/request.js';

const schema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  resources: z.strictObject({ gpus: z.number().max(8, 'must be at most 8') }).optional(),
});
const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new HttpRequest({ method: 'POST', url: 'http://localhost/api/things', body: { string: body }, headers });
const read = (r: HttpRequest, maxBytes = 100) => readJsonBody(r, schema, { maxBytes, what: 'thing' });
const problemOf = async (p: ReturnType<typeof read>) => {
  const r = await p;
  if (r.ok) throw new Error('expected a problem');
  return { status: r.response.status, headers: r.response.headers, body: JSON.parse(String(r.response.body)) as Record<string, unknown> };
};

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    [' application/json ;charset=utf-8', true],
    ['application/merge-patch+json', true],
    ['application/problem+json; charset=utf-8', true],
    ['application/jsonx', false],
    ['text/json', false],
    ['text/plain+json', false],
    ['application/json-seq', false],
    ['application/+jsonp', false],
    ['', false],
    [null, false],
  ])('%j → %s', (value, ok) => {
    expect(isJsonContentType(value)).toBe(ok);
  });
});

describe('readJsonBody', () => {
  it('answers the parsed value', async () => {
    expect(await read(post('{"name":"a","resources":{"gpus":8}}'))).toEqual({ ok: true, value: { name: 'a', resources: { gpus: 8 } } });
  });

  it('answers 415 naming what to send and what came', async () => {
    expect(await problemOf(read(post('{}', { 'content-type': 'text/plain' })))).toMatchObject({
      status: 415,
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported content type', detail: 'Send the thing as JSON with "Content-Type: application/json" (got "text/plain").' },
    });
    const none = new HttpRequest({ method: 'POST', url: 'http://localhost/api/things', body: { string: '{}' } });
    none.headers.delete('content-type');
    expect((await problemOf(read(none))).body.detail).toBe('Send the thing as JSON with "Content-Type: application/json" (got none).');
  });

  it('reads a body of exactly maxBytes (counted in UTF-8 bytes) and refuses one byte more with 413', async () => {
    // 11 bytes of JSON around 44 "é" of 2 bytes each, then spaces: 100 bytes in 56 characters, then 101.
    const body = (spaces: number) => `{"name":"${'é'.repeat(44)}"}${' '.repeat(spaces)}`;
    expect(Buffer.byteLength(body(1))).toBe(100);
    expect((await read(post(body(1)))).ok).toBe(true);
    expect(await problemOf(read(post(body(2))))).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', title: 'Request body too large', detail: 'The thing is 101 bytes; at most 100 bytes are accepted. Move large data into input files.' },
    });
  });

  it('refuses a declared Content-Length over the limit before reading, and does not trust a small one', async () => {
    const declared = post('{"name":"a"}', { 'content-type': 'application/json', 'content-length': '101' });
    expect((await problemOf(read(declared))).body.detail).toBe('The thing is 101 bytes; at most 100 bytes are accepted. Move large data into input files.');
    const atLimit = post('{"name":"a"}', { 'content-type': 'application/json', 'content-length': '100' });
    expect((await read(atLimit)).ok).toBe(true);
    const lying = post(`{"name":"${'a'.repeat(200)}"}`, { 'content-type': 'application/json', 'content-length': '5' });
    expect((await problemOf(read(lying))).body.detail).toBe('The thing is 211 bytes; at most 100 bytes are accepted. Move large data into input files.');
  });

  it('reads a body that starts with a UTF-8 byte order mark (Windows PowerShell 5 writes one) as the JSON after it', async () => {
    expect(await read(post('\uFEFF{"name":"a"}'))).toEqual({ ok: true, value: { name: 'a' } });
    // Only at the start: a BOM elsewhere is not whitespace to JSON.
    expect((await problemOf(read(post('{"name":"a"}\uFEFF')))).body.code).toBe('INVALID_JSON');
  });

  it('answers 400 INVALID_JSON with the parser\'s reason', async () => {
    const p = await problemOf(read(post('{"name":')));
    expect(p).toMatchObject({ status: 400, body: { code: 'INVALID_JSON', title: 'Body is not valid JSON' } });
    expect(p.body.detail).toMatch(/^The thing is not valid JSON: .+\.$/);
  });

  it('answers 400 VALIDATION_FAILED naming each field, nested ones dotted', async () => {
    const p = await problemOf(read(post('{"name":"","resources":{"gpus":9,"cpu":1},"colour":"red"}')));
    expect(p.status).toBe(400);
    expect(p.body).toMatchObject({ code: 'VALIDATION_FAILED', title: 'Invalid thing' });
    expect(p.body.errors).toEqual(expect.arrayContaining([
      { field: 'name', message: 'must not be empty' },
      { field: 'resources.gpus', message: 'must be at most 8' },
      { field: 'resources.cpu', message: 'is not a known field (check the spelling)' },
      { field: 'colour', message: 'is not a known field (check the spelling)' },
    ]));
    expect(p.body.errors).toHaveLength(4);
  });
});

describe('fieldErrors and invalidFields', () => {
  it('calls a problem with the body itself "(body)"', () => {
    const r = schema.safeParse([]);
    expect(!r.success && fieldErrors(r.error)).toEqual([{ field: '(body)', message: expect.any(String) }]);
  });

  it('lists each unknown key of one object as its own field', () => {
    const r = schema.safeParse({ name: 'a', x: 1, y: 2 });
    expect(!r.success && fieldErrors(r.error)).toEqual([
      { field: 'x', message: 'is not a known field (check the spelling)' },
      { field: 'y', message: 'is not a known field (check the spelling)' },
    ]);
  });

  it('gives a refused record key (an env variable name) its own checks\' messages, joined, on the key\'s dotted path', () => {
    const env = z.record(z.string().min(2, 'is too short').regex(/^[A-Z]+$/, 'is not upper case'), z.string());
    const r = env.safeParse({ a: 'x' });
    expect(!r.success && fieldErrors(r.error)).toEqual([{ field: 'a', message: 'is too short; is not upper case' }]);
    const nested = z.strictObject({ env }).safeParse({ env: { a: 'x' } });
    expect(!nested.success && fieldErrors(nested.error)).toEqual([{ field: 'env.a', message: 'is too short; is not upper case' }]);
  });

  it('joins the fields into the detail', () => {
    const r = invalidFields('policy', [{ field: 'a', message: 'is bad' }, { field: 'b.c', message: 'is worse' }]);
    expect(r.status).toBe(400);
    expect(JSON.parse(String(r.body))).toMatchObject({ code: 'VALIDATION_FAILED', title: 'Invalid policy', detail: 'a is bad; b.c is worse', errors: [{ field: 'a', message: 'is bad' }, { field: 'b.c', message: 'is worse' }] });
  });
});

describe('readQuery', () => {
  const query = z.strictObject({ top: z.coerce.number().int().max(50, 'must be at most 50').default(20) });
  const get = (url: string, what?: string) => readQuery(new HttpRequest({ method: 'GET', url }), query, what);

  it('leaves out the function key (?code=) and applies defaults', () => {
    expect(get('http://localhost/api/x?code=secret')).toEqual({ ok: true, value: { top: 20 } });
    expect(get('http://localhost/api/x?top=50')).toEqual({ ok: true, value: { top: 50 } });
  });

  it('refuses a parameter given more than once, naming it and how often, rather than taking one of them', () => {
    const r = get('http://localhost/api/x?top=5&top=50&top=1');
    expect(r.ok).toBe(false);
    expect(JSON.parse(String(!r.ok && r.response.body))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'top is given 3 times; give it once', errors: [{ field: 'top', message: 'is given 3 times; give it once' }] });
    // Counts only the repeated name, among other parameters.
    const mixed = get('http://localhost/api/x?top=5&top=50&other=1');
    expect(JSON.parse(String(!mixed.ok && mixed.response.body))).toMatchObject({ detail: 'top is given 2 times; give it once', errors: [{ field: 'top', message: 'is given 2 times; give it once' }] });
    // The function key is the platform's, whatever it repeats.
    expect(get('http://localhost/api/x?code=a&code=b&top=5')).toEqual({ ok: true, value: { top: 5 } });
  });

  it('names the bad parameter, calling the query "query" unless told', () => {
    const r = get('http://localhost/api/x?top=51&codes=1');
    expect(r.ok).toBe(false);
    const body = JSON.parse(String(!r.ok && r.response.body));
    expect(body).toMatchObject({ title: 'Invalid query', errors: expect.arrayContaining([{ field: 'top', message: 'must be at most 50' }, { field: 'codes', message: 'is not a known field (check the spelling)' }]) });
    const named = get('http://localhost/api/x?top=51', 'events query');
    expect(JSON.parse(String(!named.ok && named.response.body)).title).toBe('Invalid events query');
  });
});
