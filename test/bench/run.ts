// `npm run bench`: runs every test/bench/*.bench.ts module in turn (compiled under dist/). Each module exports
// `bench(): Promise<void>`, which measures and prints its own table. `npm run bench -- startup jobs` runs only the
// modules whose names contain one of the words. Benches judge their documented targets with checkTarget()
// (PASS/MISS beside the figure); `--check` makes a MISS (or a bench that failed) exit non-zero.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { targetResults } from './targets.js';

export interface BenchModule {
  bench(): Promise<void>;
}

// DSVMPOOL_BENCH_DIR: another folder of *.bench.js modules (the runner's own test uses it).
const dir = process.env.DSVMPOOL_BENCH_DIR ?? fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const filters = args.filter((a) => !a.startsWith('--'));

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
  const missed = targetResults().filter((r) => !r.pass);
  const judged = targetResults().length;
  console.log(`\ntargets: ${judged - missed.length} of ${judged} met${missed.length ? `; missed: ${missed.map((m) => m.name).join('; ')}` : ''}`);
  if (failed > 0) process.exitCode = 1;
  else if (check && missed.length > 0) process.exitCode = 2;
}

await main();
