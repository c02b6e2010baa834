// GET /api/docs and its static files: the page pointing Swagger UI at openapi.json (passing on ?code=), only the three
// files the page needs (from the swagger-ui-dist package), gzipped when the browser asks except the image.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apiDocsPage, apiDocsResponse } from '../../../src/http/api-docs.js';

const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const fileOf = (name: string) => readFileSync(join(dist, name));

describe('API reference page', () => {
  // First, so that it is the test that reads the file (the cache is per process).
  it('reads and compresses each file once per process', () => {
    expect(apiDocsResponse('swagger-ui.css', 'gzip').body).toBe(apiDocsResponse('swagger-ui.css', 'gzip').body);
    expect(apiDocsResponse('swagger-ui.css', null).body).toBe(apiDocsResponse('swagger-ui.css', null).body);
  });

  it('serves the page as HTML, revalidated each time', () => {
    const r = apiDocsResponse(undefined, 'gzip');
    expect(r).toEqual({ status: 200, headers: { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' }, body: apiDocsPage() });
    expect(apiDocsResponse('', null).status).toBe(200);
  });

  it('loads its files relative to /api/ and points Swagger UI at openapi.json with the function key', () => {
    const html = apiDocsPage();
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>dsvm-pool API reference</title>');
    expect(html).toContain('<link rel="stylesheet" href="docs/swagger-ui.css">');
    expect(html).toContain('<script src="docs/swagger-ui-bundle.js"></script>');
    expect(html).toContain('<link rel="icon" type="image/png" href="docs/favicon-32x32.png">');
    expect(html).toContain("url: 'openapi.json' + (code ? '?code=' + encodeURIComponent(code) : ''),");
    expect(html).toContain("dom_id: '#reference',");
    expect(html).toContain('tryItOutEnabled: false,');
  });

  it('sends /api/docs/ (and /api/docs//) to /api/docs with a 301, keeping the query, so the page\'s relative links resolve', () => {
    expect(apiDocsResponse(undefined, 'gzip', 'https://pool.example.com/api/docs/?code=k1')).toEqual({ status: 301, headers: { 'cache-control': 'no-cache', location: '/api/docs?code=k1' } });
    expect(apiDocsResponse(undefined, null, 'https://pool.example.com/api/docs//')).toEqual({ status: 301, headers: { 'cache-control': 'no-cache', location: '/api/docs' } });
    // /api/docs itself is the page, not a redirect.
    expect(apiDocsResponse(undefined, null, 'https://pool.example.com/api/docs?code=k1')).toEqual({ status: 200, headers: { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' }, body: apiDocsPage() });
  });

  it.each([
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
    ['swagger-ui.css', 'text/css; charset=utf-8'],
  ])('serves %s gzipped to a browser that accepts gzip', (file, type) => {
    const r = apiDocsResponse(file, 'br, gzip;q=0.9');
    expect(r.status).toBe(200);
    expect(r.headers).toEqual({ 'cache-control': 'no-cache', 'content-type': type, vary: 'accept-encoding', 'content-encoding': 'gzip' });
    expect(gunzipSync(r.body as Buffer).equals(fileOf(file))).toBe(true);
  });

  it.each([null, '', 'br, deflate', 'gzipped', 'x-gzipx'])('serves the file as is for Accept-Encoding %j', (acceptEncoding) => {
    const r = apiDocsResponse('swagger-ui.css', acceptEncoding);
    expect(r.headers).toEqual({ 'cache-control': 'no-cache', 'content-type': 'text/css; charset=utf-8', vary: 'accept-encoding' });
    expect((r.body as Buffer).equals(fileOf('swagger-ui.css'))).toBe(true);
  });

  it('never gzips the PNG icon', () => {
    const r = apiDocsResponse('favicon-32x32.png', 'gzip');
    expect(r.headers).toEqual({ 'cache-control': 'no-cache', 'content-type': 'image/png', vary: 'accept-encoding' });
    expect((r.body as Buffer).equals(fileOf('favicon-32x32.png'))).toBe(true);
  });

  it.each(['index.html', 'package.json', '../package.json', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])('answers %j with a 404 problem', (file) => {
    const r = apiDocsResponse(file, 'gzip');
    expect(r.status).toBe(404);
    expect(JSON.parse(String(r.body))).toMatchObject({ code: 'FILE_NOT_FOUND', title: 'No such file', detail: `The API reference has no file "${file}"; open /api/docs.` });
  });
});
