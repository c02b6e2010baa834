// Vitest globalSetup: compiles the project once, so hosts in integration tests can load the app from dist/
// exactly as the Functions worker would. `npm test` has just built, so it skips the second build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export default function setup(): void {
  if (process.env.npm_lifecycle_event === 'test' || process.env.DSVMPOOL_SKIP_BUILD === '1') return;
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { encoding: 'utf8' });
  // tsc still emits when other files have type errors; integration tests only need the emitted JS.
  if (result.status !== 0) {
    console.warn(`[global-setup] tsc reported errors (JS was still emitted):\n${result.stdout.slice(0, 4000)}`);
  }
  // The dashboard page (src/web → dist/web), which the host serves at /api/ui.
  const vite = spawnSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { encoding: 'utf8' });
  if (vite.status !== 0) console.warn(`[global-setup] vite build failed:\n${(vite.stderr || vite.stdout).slice(0, 4000)}`);
  console.log(`[global-setup] compiled the project in ${Date.now() - started} ms`);
}
