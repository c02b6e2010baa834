// Builds the dashboard page: type-checks src/web/client (tsconfig.web.json, DOM types), then vite bundles src/web
// (page, client code, uPlot, styles) into dist/web, which src/functions/dashboard.ts serves at /api/ui.
//   node scripts/build-web.mjs             always (npm run build)
//   node scripts/build-web.mjs --if-stale  only when a file the page is built from is newer than dist/web/index.html
//                                          (npm start and the test setup, so an unchanged page costs nothing)
// Exits with the failing step's status.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Newest modification time (ms) of the files under `path`, or of `path` itself. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), 0);
}

function stale() {
  const built = newest(join(root, 'dist/web/index.html'));
  const sources = ['src/web', 'vite.config.mjs', 'tsconfig.web.json', 'package-lock.json'].map((p) => newest(join(root, p)));
  return built === 0 || Math.max(...sources) > built;
}

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);

const steps = [
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.web.json'],
  [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
];
for (const args of steps) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
