#!/usr/bin/env node
// Builds infra/vm/cloud-init-files.json: each static file cloud-init writes on the pool's VMs, gzip-compressed and
// base64-encoded, keyed by its name in infra/vm. pool.bicep loads it (loadJsonContent) into the cloud-init's
// write_files with `encoding: gz+b64`, which cloud-init's write_files module decodes (base64, then gunzip) before
// writing the file (cloud-init, cloudinit/config/cc_write_files.py: gz+b64 / gzip+base64). Compressing keeps the
// scale set's customData far below Azure's 65,535-byte limit; Bicep has no gzip function, hence this checked-in file.
//
//   node infra/scripts/build-cloud-init.mjs      (npm run vm-files)  rewrites the file
//   node infra/scripts/build-cloud-init.mjs --check [--file PATH]    exits 1 when the file (or PATH) is stale
//
// Deterministic: gzip level 9, mtime 0, OS byte 255 ("unknown"), so one set of VM files gives one output.
// Values that differ per deployment (NFS share, vault, table URL, Entra ids) are not in here: pool.bicep substitutes
// them at deploy time into the small uncompressed rest of the cloud-init.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const vmDir = resolve(dirname(fileURLToPath(import.meta.url)), '../vm');
export const OUTPUT = join(vmDir, 'cloud-init-files.json');

/** The infra/vm files shipped compressed, in the order cloud-init.yaml writes them. */
export const VM_FILES = [
  'session_reporter.py',
  'dsvm-session-reporter.service',
  'dsvm-session-reporter.timer',
  'dsvm-session-probe.service',
  'jupyterhub_reporter_config.py',
  'pool_identity.py',
  'jupyterhub_entra_config.py',
  'install-reporter.sh',
];

/** gzip (level 9, mtime 0, OS byte 255) then base64 of one file's bytes. */
export function gzipBase64(bytes) {
  const gz = gzipSync(bytes, { level: 9 });
  gz.writeUInt32LE(0, 4); // MTIME: 0 (Node writes 0 already; kept explicit)
  gz[9] = 255; // OS: unknown, whatever platform built it
  return gz.toString('base64');
}

/** The JSON text of cloud-init-files.json for the VM files as they are now. */
export function build() {
  const files = Object.fromEntries(VM_FILES.map((name) => [name, gzipBase64(readFileSync(join(vmDir, name)))]));
  return `${JSON.stringify(files, null, 2)}\n`;
}

/** Names of the files whose checked-in compressed copy does not decode to the file in infra/vm (or is missing). */
export function staleFiles(jsonText) {
  let shipped;
  try {
    shipped = JSON.parse(jsonText);
  } catch {
    return [...VM_FILES];
  }
  const stale = VM_FILES.filter((name) => {
    const b64 = shipped[name];
    if (typeof b64 !== 'string') return true;
    try {
      return !gunzipSync(Buffer.from(b64, 'base64')).equals(readFileSync(join(vmDir, name)));
    } catch {
      return true;
    }
  });
  const extra = Object.keys(shipped).filter((name) => !VM_FILES.includes(name));
  return [...stale, ...extra];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const fileArg = process.argv.indexOf('--file');
    const file = fileArg >= 0 ? resolve(process.argv[fileArg + 1]) : OUTPUT;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      /* missing: every file is stale */
    }
    const stale = staleFiles(text);
    if (stale.length) {
      console.error(`${fileArg >= 0 ? file : 'infra/vm/cloud-init-files.json'} is stale for ${stale.join(', ')}: run \`npm run vm-files\` and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, build());
    console.log(`wrote infra/vm/cloud-init-files.json (${VM_FILES.length} files)`);
  }
}
