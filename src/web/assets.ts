// The dashboard's built files (vite build of src/web into dist/web): index.html and hashed assets, read once per
// process and served by src/functions/dashboard.ts. Names are checked against what the build produced, never
// joined into a path from the request.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebAsset {
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** dist/web, beside dist/src where this module runs from. */
const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

export interface WebAssets {
  page(): WebAsset | undefined;
  asset(name: string): WebAsset | undefined;
}

export function loadWebAssets(root = WEB_ROOT): WebAssets {
  const read = (path: string): WebAsset => ({ body: readFileSync(path), contentType: TYPES[extname(path)] ?? 'application/octet-stream' });
  const index = join(root, 'index.html');
  const page = existsSync(index) ? read(index) : undefined;
  const assetDir = join(root, 'assets');
  const assets = new Map<string, WebAsset>();
  if (existsSync(assetDir)) for (const name of readdirSync(assetDir)) assets.set(name, read(join(assetDir, name)));
  return { page: () => page, asset: (name) => assets.get(name) };
}
