// Deployment package size: built the way `azd deploy` builds it (infra/scripts/package.mjs, the prepackage hook),
// then zipped as deploy uploads it; side by side with what .funcignore alone shipped before (the project with its
// whole node_modules). Goal: under 60 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTarget } from './targets.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const MB = 1024 * 1024;

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

export async function bench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dsvm-package-bench-'));
  try {
    const out = join(work, 'deploy');
    const started = performance.now();
    const built = spawnSync(process.execPath, ['infra/scripts/package.mjs', '--out', out], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`package.mjs failed: ${built.stderr}`);
    const buildMs = performance.now() - started;
    const lean = sizeOf(out);
    const zipFile = join(work, 'package.zip');
    const zipped = spawnSync('zip', ['-q', '-r', zipFile, '.'], { cwd: out });
    const zipBytes = zipped.status === 0 ? statSync(zipFile).size : NaN;
    // Before: .funcignore kept node_modules whole (every devDependency, the Node binary among them) and dist/.
    const before = sizeOf(join(root, 'node_modules'));
    const dist = sizeOf(join(root, 'dist'));
    const beforeBytes = before.bytes + dist.bytes;
    console.log('| package | files | unpacked MB | zip MB |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| before (.funcignore only: node_modules + dist) | ${before.files + dist.files} | ${(beforeBytes / MB).toFixed(1)} | – |`);
    console.log(`| deploy (infra/scripts/package.mjs) | ${lean.files} | ${(lean.bytes / MB).toFixed(1)} | ${(zipBytes / MB).toFixed(1)} |`);
    console.log(`ratio before/deploy (unpacked): ${(beforeBytes / lean.bytes).toFixed(1)}×; built in ${(buildMs / 1000).toFixed(1)} s`);
    checkTarget({ name: 'deployment package, unpacked', value: lean.bytes / MB, atMost: 60, unit: 'MB' });
    if (!Number.isNaN(zipBytes)) checkTarget({ name: 'deployment package, zip', value: zipBytes / MB, atMost: 60, unit: 'MB' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
