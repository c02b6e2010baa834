#!/usr/bin/env node
// `dsvm-pool`: the command line of the job service and the pools, a typed client of the HTTP API (no Azure SDK but
// @azure/identity for tokens). Global options: --endpoint, --token, --json; locally --as/--admin choose who the
// emulator mints a token for. Exit codes: see exit-codes.ts and README (section cli).
import { Command, CommanderError } from 'commander';
import { readAppTime, type AppTime } from './app-time.js';
import { ApiError, apiClient, type ApiClient } from './client.js';
import { EXIT, exitCodeForStatus } from './exit-codes.js';
import { jobCommands, type Context } from './job-commands.js';
import { Output } from './output.js';
import { poolCommands } from './pool-commands.js';
import { sessionCommands } from './session-commands.js';
import { simulateCommand } from './simulate-command.js';
import { CliUsageError, configPath, resolveSettings } from './settings.js';

export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('dsvm-pool');
  program
    .description('Submit and follow jobs on the team\'s Batch pools, and get a seat on the VM pools.')
    .option('--endpoint <url>', 'the app, e.g. http://localhost:7071 (or DSVMPOOL_URL, or "endpoint" in the config file)')
    .option('--token <token>', 'a bearer token to send (or DSVMPOOL_TOKEN); default: from the emulator locally, DefaultAzureCredential in Azure')
    .option('--as <user>', 'locally: the user the emulator mints a token for (or DSVMPOOL_USER)')
    .option('--admin', 'locally: ask the emulator for a token with the admin role')
    .option('--json', 'print JSON (data on stdout; messages stay on stderr)')
    .option('--interval <seconds>', 'how often --wait, wait, logs -f, connect and ssh ask', '2')
    .addHelpText('after', `\nConfig file: ${configPath()}\nExit codes: 0 ok, 1 job failed, 2 bad input, 3 not signed in/allowed, 4 not found, 5 unavailable (retry), 6 job cancelled, 7 timed out waiting, 8 conflict, 9 no address for your VM (connect/ssh).`)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  program.configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  let client: ApiClient | undefined;
  let out: Output | undefined;
  let appTime: Promise<AppTime> | undefined;
  const globals = () => program.opts<{ endpoint?: string; token?: string; as?: string; admin?: boolean; json?: boolean; interval: string }>();
  const ctx: Context = {
    client: () => (client ??= apiClient(resolveSettings(globals()))),
    out: () => (out ??= new Output({ json: Boolean(globals().json) })),
    intervalMs: () => Math.max(0.05, Number(globals().interval) || 2) * 1000,
    appTime: () => (appTime ??= readAppTime(resolveSettings(globals()))),
    exit: (code) => {
      exitCode = code;
    },
  };
  jobCommands(program, ctx);
  poolCommands(program, ctx);
  sessionCommands(program, ctx);
  simulateCommand(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const o = ctx.out();
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof ApiError) {
      o.message(`error: ${error.detail}${error.code.startsWith('HTTP_') ? '' : ` (${error.code})`}`);
      for (const e of error.errors) o.message(`  ${e.field}: ${e.message}`);
      return exitCodeForStatus(error.status);
    }
    if (error instanceof CliUsageError) {
      o.message(`error: ${error.message}`);
      return EXIT.usage;
    }
    o.message(`error: ${(error as Error).message ?? String(error)}`);
    return EXIT.unavailable;
  }
}

process.exitCode = await run(process.argv.slice(2));
