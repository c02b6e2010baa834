#!/usr/bin/env node
// Builds the deployment package of the Function App: what `azd deploy` zips and uploads (azure.yaml: service api,
// `dist: .deploy`, this script as its prepackage hook). Production dependencies only, so the package stays small
// (the project's node_modules holds every devDependency, the Node 22 binary among them).
//
//   node infra/scripts/package.mjs [--out DIR]     (default DIR: .deploy; run `npm run build` first)
//
// Layout of DIR: package.json (dependencies only), package-lock.json, host.json, dist/src/** (compiled app without
// the local stack under dist/src/local, source maps and type declarations), dist/web/** (the dashboard page, built
// by vite; served at /api/ui), node_modules/** (the packages
// package-lock.json marks neither dev nor devOptional, copied from the project's node_modules without what Node never
// loads: browser/react-native builds, source maps, type declarations; no network needed).
// Prints one JSON line: { out, files, bytes }.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = resolve(root, outArg >= 0 ? args[outArg + 1] : '.deploy');
if (out === root || !relative(root, out) || relative(out, root) === '') throw new Error('--out must not be the project directory');

const compiled = join(root, 'dist/src');
if (!existsSync(join(compiled, 'functions'))) {
  console.error(`${relative(root, compiled)}/functions is missing: run \`npm run build\` first`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const slim = { name: pkg.name, version: pkg.version, private: true, type: pkg.type, main: pkg.main, engines: pkg.engines, dependencies: pkg.dependencies };
writeFileSync(join(out, 'package.json'), JSON.stringify(slim, null, 2) + '\n');
cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
cpSync(join(root, 'host.json'), join(out, 'host.json'));

// The compiled app: everything under dist/src but the local stack (emulator, Azurite wiring, dev host), which only
// `npm start` uses and which imports devDependencies.
const skipCompiled = (path) => {
  const rel = relative(compiled, path);
  return rel === 'local' || rel.startsWith(`local${sep}`) || path.endsWith('.map') || path.endsWith('.d.ts');
};
cpSync(compiled, join(out, 'dist/src'), { recursive: true, filter: (src) => !skipCompiled(src) });

// The dashboard page (src/functions/dashboard.ts serves it from dist/web, beside dist/src).
const web = join(root, 'dist/web');
if (!existsSync(join(web, 'index.html'))) {
  console.error(`${relative(root, web)}/index.html is missing: run \`npm run build\` first (it builds the dashboard page)`);
  process.exit(1);
}
cpSync(web, join(out, 'dist/web'), { recursive: true });

/**
 * What Node never loads from a package: nested node_modules (separate lockfile entries), the browser and
 * react-native builds (selected only by those export conditions), source maps, type declarations, changelogs.
 */
function nodeOnlyDrops(rel) {
  const parts = rel.split(sep);
  if (parts.includes('node_modules')) return true;
  if (parts[0] === 'dist' && (parts[1] === 'browser' || parts[1] === 'react-native')) return true;
  if (parts[0] === 'dist-browser') return true;
  const name = parts[parts.length - 1];
  return /\.(map|d\.ts|d\.mts|d\.cts)$/.test(name) || /^CHANGELOG/i.test(name);
}

// Production packages per the lockfile (v2/v3 `packages` map: "node_modules/a/node_modules/b" → { dev?, devOptional? }).
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
for (const [path, meta] of Object.entries(lock.packages ?? {})) {
  if (!path.startsWith('node_modules/') || meta.dev || meta.devOptional || meta.link) continue;
  const from = join(root, path);
  if (!existsSync(from)) {
    if (meta.optional) continue; // a platform-specific optional package not installed here
    throw new Error(`${path} is a production dependency but is not installed: run npm ci`);
  }
  // Nested node_modules are entries of their own (production or not), so they are not copied with their parent.
  cpSync(from, join(out, path), { recursive: true, filter: (src) => src === from || !nodeOnlyDrops(relative(from, src)) });
}

let files = 0;
let bytes = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else {
      files++;
      bytes += statSync(p).size;
    }
  }
};
walk(out);
console.log(JSON.stringify({ out: relative(root, out) || '.', files, bytes }));
