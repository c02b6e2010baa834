// `npm run bench`: runs every test/bench/*.bench.ts module in turn (compiled under dist/). Each module exports
// `bench(): Promise<void>`, which measures and prints its own table. `npm run bench -- startup jobs` runs only the
// modules whose names contain one of the words.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchModule {
  bench(): Promise<void>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);

async function main(): Promise<void> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
  if (files.length === 0) throw new Error(`No benchmark modules matched in ${dir}`);
  let failed = 0;
  for (const file of files) {
    console.log(`\n## ${file.replace(/\.bench\.js$/, '')}`);
    const started = performance.now();
    try {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as Partial<BenchModule>;
      if (typeof mod.bench !== 'function') throw new Error(`${file} does not export bench()`);
      await mod.bench();
    } catch (err) {
      failed++;
      console.error(`${file} failed: ${(err as Error).stack ?? String(err)}`);
    }
    console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
