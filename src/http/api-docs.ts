// The rendered API reference at /api/docs: Swagger UI's static bundle (npm `swagger-ui-dist`, served from the app,
// no CDN) showing /api/openapi.json. Only the files the page needs are served; the bundle is gzipped once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HttpResponseInit } from '@azure/functions';
import { problem } from './problem.js';

const ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const cache = new Map<string, { raw: Buffer; gzip: Buffer }>();

function asset(name: string): { raw: Buffer; gzip: Buffer } {
  let hit = cache.get(name);
  if (!hit) {
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const raw = readFileSync(join(dir, name));
    hit = { raw, gzip: gzipSync(raw) };
    cache.set(name, hit);
  }
  return hit;
}

/** The HTML page: Swagger UI pointed at the document, passing on `?code=` (the function key) when there is one. */
export function apiDocsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dsvm-pool API reference</title>
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>
  const code = new URLSearchParams(location.search).get('code');
  window.ui = SwaggerUIBundle({
    url: 'openapi.json' + (code ? '?code=' + encodeURIComponent(code) : ''),
    dom_id: '#reference',
    deepLinking: true,
    displayOperationId: true,
    tryItOutEnabled: false,
  });
</script>
</body>
</html>
`;
}

/**
 * GET /api/docs (the page) and /api/docs/{file} (its static files). The page's links are relative to /api/, so it
 * works under any host name; `/api/docs/` (with `url`, the request's URL) is a 301 to `/api/docs`. An unknown file is a 404
 * problem.
 */
export function apiDocsResponse(file: string | undefined, acceptEncoding: string | null, url?: string): HttpResponseInit {
  const headers = { 'cache-control': 'no-cache' };
  // /api/docs/ would resolve the page's relative links under /api/docs/docs/…: send the browser to /api/docs.
  const u = url ? new URL(url) : undefined;
  if (!file && u && u.pathname.endsWith('/')) return { status: 301, headers: { ...headers, location: u.pathname.replace(/\/+$/, '') + u.search } };
  if (!file) return { status: 200, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: apiDocsPage() };
  // Own keys only: "constructor" or "__proto__" in the URL must not find Object.prototype's members.
  const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
  if (!type) {
    return problem({ status: 404, code: 'FILE_NOT_FOUND', title: 'No such file', detail: `The API reference has no file "${file}"; open /api/docs.` });
  }
  const { raw, gzip } = asset(file);
  const gzipped = /\bgzip\b/.test(acceptEncoding ?? '') && !type.startsWith('image/');
  return {
    status: 200,
    headers: { ...headers, 'content-type': type, vary: 'accept-encoding', ...(gzipped ? { 'content-encoding': 'gzip' } : {}) },
    body: gzipped ? gzip : raw,
  };
}
