// Vitest globalSetup: compiles what changed (tsc -b, incremental) once, so hosts in integration tests can load
// the app from dist/ exactly as the Functions worker would. `npm test` has just built, so it skips the second build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingSystemPrograms } from './infra/system-tools.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  // Said once, first, so a missing program is not found test by test (the tests that need one still fail).
  const { message } = missingSystemPrograms();
  if (message) console.warn(`[global-setup] ${message}`);
  if (process.env.npm_lifecycle_event === 'test' || process.env.DSVMPOOL_SKIP_BUILD === '1') return;
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.json'], { encoding: 'utf8' });
  // tsc still emits when other files have type errors; integration tests only need the emitted JS.
  if (result.status !== 0) {
    console.warn(`[global-setup] tsc reported errors (JS was still emitted):\n${result.stdout.slice(0, 4000)}`);
  }
  // The dashboard page (src/web → dist/web), which the host serves at /api/ui; rebuilt only when its sources changed.
  const web = spawnSync(process.execPath, [join(projectRoot, 'scripts/build-web.mjs'), '--if-stale'], { cwd: projectRoot, encoding: 'utf8' });
  if (web.status !== 0) console.warn(`[global-setup] the dashboard page build failed:\n${(web.stderr || web.stdout).slice(0, 4000)}`);
  console.log(`[global-setup] compiled the project in ${Date.now() - started} ms`);
}
