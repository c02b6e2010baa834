// The options of `npm start -- …` (and their environment variables), parsed with node:util's parseArgs, and the
// --help text that lists them.
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './local-log.js';

export interface StartOptions {
  help: boolean;
  /** Keep Azurite's data in .azurite/ across restarts. */
  persist: boolean;
  /** Seed no demo pools or policies. */
  empty: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export class StartOptionsError extends Error {}

export const START_HELP = `Usage: npm start [-- options]

Starts dsvm-pool on this machine: Azurite (storage), the Azure emulator (ARM, Monitor, Batch; its clock runs 60x
faster than real time) and the local Functions host running the app, with demo data. Ctrl-C stops everything.

Options:
  --persist            keep storage in .azurite/ across restarts (default: in memory)
  --empty              start without the demo data (no pools, no policies)
  --log-level LEVEL    debug | info | warn | error (default info; env DSVMPOOL_LOG_LEVEL). Idle timer runs are debug.
  --log-format FORMAT  pretty | json (default: pretty on a terminal, json otherwise; env DSVMPOOL_LOG_FORMAT)
  -h, --help           show this help

Pages once it runs: the API at http://localhost:7071/api/health, its reference at http://localhost:7071/api/docs.
The demo data is described in README.md, "Quick start".`;

/** Parses argv (without node and the script) and the environment; throws StartOptionsError naming what is wrong. */
export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv, isTty: boolean): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
        persist: { type: 'boolean' },
        empty: { type: 'boolean' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new StartOptionsError(`${(err as Error).message}\nRun \`npm start -- --help\` for the options.`);
  }
  const level = (values['log-level'] ?? env.DSVMPOOL_LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new StartOptionsError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}").`);
  }
  const format = (values['log-format'] ?? env.DSVMPOOL_LOG_FORMAT ?? (isTty ? 'pretty' : 'json')).toLowerCase();
  if (format !== 'pretty' && format !== 'json') throw new StartOptionsError(`--log-format must be pretty or json (got "${format}").`);
  return {
    help: values.help === true,
    persist: values.persist === true,
    empty: values.empty === true,
    logLevel: level as LogLevel,
    logFormat: format,
  };
}
