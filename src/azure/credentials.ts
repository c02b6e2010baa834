// Credentials and client options for every Azure SDK client the app builds. In Azure: DefaultAzureCredential
// (the app's user-assigned managed identity via AZURE_CLIENT_ID). Locally: a static token the emulator accepts.
import { readFileSync } from 'node:fs';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from '../config.js';

/** Accepted only by the local emulator; it never leaves this machine. */
class EmulatorCredential implements TokenCredential {
  async getToken(): Promise<AccessToken> {
    return { token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

let defaultCredential: TokenCredential | undefined;

export function credentialFor(config: Pick<Config, 'credential'>): TokenCredential {
  if (config.credential === 'emulator') return new EmulatorCredential();
  defaultCredential ??= new DefaultAzureCredential();
  return defaultCredential;
}

const caCache = new Map<string, string>();

/** TLS options for clients that talk to an endpoint with a private CA (the local emulator). */
export function tlsOptionsFor(config: Pick<Config, 'tlsCaFile'>): { ca: string } | undefined {
  if (!config.tlsCaFile) return undefined;
  let ca = caCache.get(config.tlsCaFile);
  if (ca === undefined) {
    ca = readFileSync(config.tlsCaFile, 'utf8');
    caCache.set(config.tlsCaFile, ca);
  }
  return { ca };
}
