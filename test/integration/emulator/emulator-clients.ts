// Builds the real Azure SDK clients against a running emulator, as the app's adapters do (endpoint + CA).
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ComputeManagementClient } from '@azure/arm-compute';
import { MonitorClient } from '@azure/arm-monitor';
import type { Emulator } from '../../../src/local/emulator/index.js';

export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

export const staticCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

export function computeClient(e: Emulator, retry?: { maxRetries?: number }): ComputeManagementClient {
  return new ComputeManagementClient(staticCredential, SUBSCRIPTION, { endpoint: e.url, tlsOptions: { ca: e.caPem }, retryOptions: retry });
}

export function monitorClient(e: Emulator, retry?: { maxRetries?: number }): MonitorClient {
  return new MonitorClient(staticCredential, SUBSCRIPTION, { endpoint: e.url, tlsOptions: { ca: e.caPem }, retryOptions: retry });
}

/** A plain HTTPS request to the emulator, as the VM reporter and the control API clients make them. */
export async function emulatorFetch(e: Emulator, path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
  const { request } = await import('node:https');
  const url = new URL(path.startsWith('https:') ? path : `${e.url}${path}`);
  const payload = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token !== null) headers.authorization = `Bearer ${init.token ?? 'test-token'}`;
    if (payload) headers['content-length'] = String(payload.length);
    const req = request(url, { method: init.method ?? 'GET', ca: e.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
