#!/usr/bin/env node
// The `dsvm-pool` command (package.json "bin"): runs the built CLI (dist/src/cli/main.js, from `npm run build`) on
// Node 22, the project's runtime: with an older `node` on PATH it re-runs itself on the Node 22 binary that the
// project's `node` package installs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('dsvm-pool: not built yet; run "npm run build" in the project first\n');
  process.exit(2);
}
const major = Number(process.versions.node.split('.')[0]);
const node22 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
if (major < 22 && existsSync(node22)) {
  const r = spawnSync(node22, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
await import(main);
