// Loads a Functions app as the Node worker does: the files matched by package.json `main` (a glob), imported as
// ES modules when the package is `type: module`, each `app.*` call landing in the WorkerApp via the core module.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import type { WorkerApp } from './core-api.js';

export interface PackageJson {
  main?: string;
  type?: string;
}

export interface LoadedEntry {
  file: string;
  loadMs: number;
}

export function readPackageJson(appRoot: string): PackageJson {
  return JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as PackageJson;
}

/** Files under appRoot matching the `main` glob, relative, sorted (globby's order for our purposes). */
export function entryFiles(appRoot: string, pattern: string): string[] {
  const normalized = pattern.replace(/^\.\//, '');
  const isMatch = picomatch(normalized);
  const { base, isGlob } = picomatch.scan(normalized);
  if (!isGlob) return existsSync(join(appRoot, normalized)) ? [normalized] : [];
  const start = join(appRoot, base);
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules') continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const rel = relative(appRoot, full).split(sep).join('/');
        if (isMatch(rel)) found.push(rel);
      }
    }
  };
  walk(start);
  return found.sort();
}

// Native dynamic import, out of reach of tools that rewrite `import()`, as the worker does with eval. Inside a test
// runner that evaluates this module itself there is no native import callback; there plain import() is used and the
// runner is configured to leave the app's files to Node (vitest.config.ts `server.deps.external`).
const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

async function importEntry(href: string): Promise<unknown> {
  try {
    return await nativeImport(href);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw err;
    return import(/* @vite-ignore */ href);
  }
}

export async function loadApp(appRoot: string, app: WorkerApp): Promise<LoadedEntry[]> {
  const pkg = readPackageJson(appRoot);
  if (!pkg.main) throw new Error(`${join(appRoot, 'package.json')} has no "main": set it to a glob of the function entry files.`);
  const files = entryFiles(appRoot, pkg.main);
  if (files.length === 0) {
    throw new Error(`Found zero files matching "${pkg.main}" under ${appRoot}. Did you build the app (npm run build)?`);
  }
  const loaded: LoadedEntry[] = [];
  app.loading = true;
  try {
    for (const file of files) {
      const full = join(appRoot, file);
      const started = performance.now();
      const esm = file.endsWith('.mjs') || (!file.endsWith('.cjs') && pkg.type === 'module');
      if (esm) await importEntry(pathToFileURL(full).href);
      else createRequire(full)(full);
      loaded.push({ file, loadMs: performance.now() - started });
    }
  } finally {
    app.loading = false;
  }
  return loaded;
}
