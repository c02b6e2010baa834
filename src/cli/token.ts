// The bearer token the CLI sends: `--token`/DSVMPOOL_TOKEN as given; locally one minted by the emulator's Entra
// stand-in (`POST {emulator}/_emulator/entra/token` with `{ user, roles }` → `{ access_token, token_type,
// expires_in }`, the contract of the identity work); in Azure one from DefaultAzureCredential (Azure CLI login,
// managed identity, …) for scope `api://<appId>/.default`. No token source configured: no Authorization header.
import { readFileSync } from 'node:fs';
import { requestJson } from './emulator-http.js';
import type { CliSettings } from './settings.js';
import { CliUsageError } from './settings.js';

export const USER_ROLE = 'DsvmPool.User';
export const ADMIN_ROLE = 'DsvmPool.Admin';

/** The Authorization header value, or undefined when no token source is configured. */
export async function bearerToken(s: CliSettings): Promise<string | undefined> {
  if (s.token) return s.token;
  if (s.emulatorUrl) {
    const ca = s.emulatorCaFile ? readFileSync(s.emulatorCaFile, 'utf8') : undefined;
    const roles = s.admin ? [USER_ROLE, ADMIN_ROLE] : [USER_ROLE];
    let answer;
    try {
      answer = await requestJson(`${s.emulatorUrl.replace(/\/+$/, '')}/_emulator/entra/token`, { method: 'POST', body: { user: s.user, roles }, ca });
    } catch (error) {
      throw new CliUsageError(`could not get a token from the emulator at ${s.emulatorUrl}: ${(error as Error).message}; is npm start running?`);
    }
    const token = (answer.json as { access_token?: unknown } | undefined)?.access_token;
    if (answer.status !== 200 || typeof token !== 'string') throw new CliUsageError(`the emulator's token route answered ${answer.status}; is it the emulator's URL?`);
    return token;
  }
  if (s.appId) {
    // Loaded only here: the SDK is large and local runs never need it.
    const { DefaultAzureCredential } = await import('@azure/identity');
    const scope = s.appId.startsWith('api://') ? `${s.appId.replace(/\/+$/, '')}/.default` : `api://${s.appId}/.default`;
    const t = await new DefaultAzureCredential().getToken(scope);
    if (!t) throw new CliUsageError(`no Entra token for ${scope}; sign in with "az login"`);
    return t.token;
  }
  return undefined;
}
