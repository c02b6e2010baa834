// `npm start`: builds only what changed since the last build (`tsc -b`, incremental: dist/.tsbuildinfo; the dashboard
// page only when its sources are newer than dist/web), then runs the local stack (dist/src/local/stack.js) in this same
// process, so the stack's "Started in" counts the build too.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
for (const args of [[tsc, '-b', 'tsconfig.json'], [join(root, 'scripts/build-web.mjs'), '--if-stale']]) {
  const built = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    process.stderr.write('npm start: the build failed (errors above); fix them and run npm start again.\n');
    process.exit(built.status ?? 1);
  }
}
process.env.DSVMPOOL_START_BUILD_MS = String(performance.now());
await import(pathToFileURL(join(root, 'dist/src/local/stack.js')).href);
