// `simulate`: the what-if simulator (`npm run simulate`) as a subcommand. It runs here, on this machine, from the
// built simulator (dist/src/local/simulator/cli.js) in a child process, with every argument passed through as it is;
// it needs no endpoint and no token. The CLI never imports the simulator (it speaks only HTTP to the app).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Context } from './job-commands.js';
import { CliUsageError } from './settings.js';

/** The simulator's entry beside this file in the build (dist/src/cli → dist/src/local/simulator). */
const SIMULATOR = fileURLToPath(new URL('../local/simulator/cli.js', import.meta.url));

/** Runs the simulator with `args`; resolves with its exit code (0 report written, 2 bad trace/option, 1 other). */
function runSimulator(args: string[]): Promise<number> {
  if (!existsSync(SIMULATOR)) return Promise.reject(new CliUsageError('the simulator is not built; run "npm run build" in the project first'));
  return new Promise((resolve, reject) => {
    // The usage text names the command the person typed (the simulator reads DSVMPOOL_SIMULATE_COMMAND).
    const child = spawn(process.execPath, [SIMULATOR, ...args], { stdio: 'inherit', env: { ...process.env, DSVMPOOL_SIMULATE_COMMAND: 'dsvm-pool simulate' } });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export function simulateCommand(program: Command, ctx: Context): void {
  program
    .command('simulate')
    .description('the what-if simulator, run locally: replay a week of sessions through autoscale and compare with baselines (simulate --help for its options)')
    .argument('[args...]', 'the simulator\'s options: --trace FILE [--policy FILE] …, generate …, sweep …')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[]) => {
      ctx.exit(await runSimulator(args));
    });
}
