// Where the CLI finds the app and how it gets a token: flags, then environment variables, then a small config file
// (`$XDG_CONFIG_HOME/dsvm-pool/config.json`, default `~/.config/dsvm-pool/config.json`; DSVMPOOL_CONFIG names
// another file). Nothing here talks to the network.
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** What the config file may hold; every key is optional. */
export interface CliConfigFile {
  /** The app's base URL, e.g. https://dsvm-pool.azurewebsites.net (the CLI adds /api). */
  endpoint?: string;
  /** Application (client) id or App ID URI of the app's Entra registration: tokens are asked for `api://<appId>/.default`. */
  appId?: string;
  /** Locally: the emulator's URL; tokens come from its `POST /_emulator/entra/token`. */
  emulatorUrl?: string;
  /** Locally: the emulator's CA certificate (PEM file), for its self-signed HTTPS. */
  emulatorCaFile?: string;
  /** Locally: the user the emulator mints tokens for (default: your login name). */
  user?: string;
}

export interface CliSettings {
  endpoint: string;
  token?: string;
  appId?: string;
  emulatorUrl?: string;
  emulatorCaFile?: string;
  user: string;
  admin: boolean;
}

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DSVMPOOL_CONFIG) return env.DSVMPOOL_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'dsvm-pool', 'config.json');
}

function readConfig(path: string): CliConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as CliConfigFile;
  } catch (error) {
    throw new CliUsageError(`config file ${path} is not a JSON object (${(error as Error).message}); fix or remove it`);
  }
}

export function resolveSettings(flags: { endpoint?: string; token?: string; as?: string; admin?: boolean }, env: NodeJS.ProcessEnv = process.env): CliSettings {
  const file = readConfig(configPath(env));
  const endpoint = flags.endpoint ?? env.DSVMPOOL_URL ?? file.endpoint;
  if (!endpoint) {
    throw new CliUsageError(`no endpoint: pass --endpoint URL, set DSVMPOOL_URL, or put "endpoint" in ${configPath(env)} (locally: the URL npm start prints, e.g. http://localhost:7071)`);
  }
  if (!URL.canParse(endpoint)) throw new CliUsageError(`endpoint "${endpoint}" is not a URL`);
  return {
    endpoint: endpoint.replace(/\/+$/, '').replace(/\/api$/, ''),
    token: flags.token ?? env.DSVMPOOL_TOKEN,
    appId: env.DSVMPOOL_APP_ID ?? file.appId,
    emulatorUrl: env.DSVMPOOL_EMULATOR_URL ?? file.emulatorUrl,
    emulatorCaFile: env.DSVMPOOL_EMULATOR_CA_FILE ?? file.emulatorCaFile,
    user: flags.as ?? env.DSVMPOOL_USER ?? file.user ?? `${userInfo().username}@example.com`,
    admin: flags.admin ?? false,
  };
}
