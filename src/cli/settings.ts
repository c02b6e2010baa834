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

/** The project checkout this CLI runs from (dist/src/cli → the root), where `npm start` keeps its state. */
const checkoutRoot = new URL('../../../', import.meta.url).pathname;

/**
 * Locally, against `npm start`'s stack on this machine: the emulator's URL and CA file, read from the connection file
 * `npm start` writes (`.local/emulator.json` under DSVMPOOL_LOCAL_DIR or this checkout), so the CLI mints its own
 * token without any setting. Only for a loopback endpoint; undefined when there is no such file.
 */
export function localEmulator(endpoint: string, env: NodeJS.ProcessEnv): { url: string; caFile?: string } | undefined {
  const host = new URL(endpoint).hostname;
  if (!['localhost', '127.0.0.1', '[::1]', '::1'].includes(host)) return undefined;
  try {
    const info = JSON.parse(readFileSync(join(env.DSVMPOOL_LOCAL_DIR || checkoutRoot, '.local', 'emulator.json'), 'utf8')) as { url?: unknown; caFile?: unknown };
    return typeof info.url === 'string' ? { url: info.url, ...(typeof info.caFile === 'string' ? { caFile: info.caFile } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

export function resolveSettings(flags: { endpoint?: string; token?: string; as?: string; admin?: boolean }, env: NodeJS.ProcessEnv = process.env): CliSettings {
  const file = readConfig(configPath(env));
  const endpoint = flags.endpoint ?? env.DSVMPOOL_URL ?? file.endpoint;
  if (!endpoint) {
    throw new CliUsageError(`no endpoint: pass --endpoint URL, set DSVMPOOL_URL, or put "endpoint" in ${configPath(env)} (locally: the URL npm start prints, e.g. http://localhost:7071)`);
  }
  if (!URL.canParse(endpoint)) throw new CliUsageError(`endpoint "${endpoint}" is not a URL`);
  const token = flags.token ?? env.DSVMPOOL_TOKEN;
  const appId = env.DSVMPOOL_APP_ID ?? file.appId;
  const emulatorUrl = env.DSVMPOOL_EMULATOR_URL ?? file.emulatorUrl;
  // Nothing says where tokens come from: locally, the emulator npm start runs on this machine.
  const local = !token && !appId && emulatorUrl === undefined ? localEmulator(endpoint, env) : undefined;
  return {
    endpoint: endpoint.replace(/\/+$/, '').replace(/\/api$/, ''),
    token,
    appId,
    emulatorUrl: emulatorUrl || local?.url || undefined,
    emulatorCaFile: env.DSVMPOOL_EMULATOR_CA_FILE ?? file.emulatorCaFile ?? local?.caFile,
    user: flags.as ?? env.DSVMPOOL_USER ?? file.user ?? `${userInfo().username}@example.com`,
    admin: flags.admin ?? false,
  };
}
