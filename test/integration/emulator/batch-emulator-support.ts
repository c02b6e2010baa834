// Starts what the Batch contract tests need: an HTTPS emulator with a manual clock and our Batch client pointed at it.
// Temporary: a bare HTTPS server over the Batch routes, the emulator's router and fault injector, until
// startEmulator (src/local/emulator/index.ts) is available.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createBatchClient, type BatchClient, type BatchClientOptions } from '../../../src/azure/batch/batch-client.js';
import { createEmulatorCertificate } from '../../../src/local/emulator/certificate.js';
import { createBatchEmulator, type BatchEmulator } from '../../../src/local/emulator/batch/index.js';
import { defaultErrorCode, errorResponse } from '../../../src/local/emulator/error-body.js';
import { FaultInjector, type FaultRule } from '../../../src/local/emulator/faults.js';
import type { EmuResponse } from '../../../src/local/emulator/route.js';
import { Router } from '../../../src/local/emulator/router.js';
import { createSimClock, type SimClock } from '../../../src/local/emulator/sim-clock.js';

export interface BatchTestEmulator {
  url: string;
  caPem: string;
  clock: SimClock;
  batch: BatchEmulator;
  faults: { add(rule: FaultRule): string; clear(): void };
  /** Requests that reached the route of this operation (faulted ones included). */
  calls(filter: { operation: string }): number;
  client(options?: BatchClientOptions): BatchClient;
  stop(): Promise<void>;
}

export const testCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

/** Retries fast, so tests of retried faults do not wait seconds of real time. */
export const fastRetries = { retryDelayInMs: 10, maxRetryDelayInMs: 50 };

export async function startBatchTestEmulator(start = new Date('2026-01-05T08:00:00Z')): Promise<BatchTestEmulator> {
  const clock = createSimClock({ start });
  const batch = createBatchEmulator(clock);
  const router = new Router(batch.routes);
  const faults = new FaultInjector();
  const { key, cert } = await createEmulatorCertificate();
  let baseUrl = '';
  const callCounts = new Map<string, number>();

  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', baseUrl);
        const path = url.pathname.replace(/\/{2,}/g, '/');
        const match = router.match(req.method ?? 'GET', path);
        let response: EmuResponse;
        if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) {
          response = errorResponse('batch', 401, 'AuthenticationFailed', 'Bearer token required');
        } else if (!match) {
          response = errorResponse('batch', 404, 'InvalidUri', `No route for ${req.method} ${path}`);
        } else {
          callCounts.set(match.route.operation, (callCounts.get(match.route.operation) ?? 0) + 1);
          const plan = faults.plan(match.route.operation);
          const fault = plan.terminal;
          if (fault?.kind === 'status' && fault.status) {
            const retryAfter = String(fault.retryAfterSeconds ?? 1);
            response = errorResponse('batch', fault.status, fault.code ?? defaultErrorCode('batch', fault.status), 'Injected fault', {
              'Retry-After': retryAfter,
            });
          } else {
            response = await match.route.handle({
              method: req.method ?? 'GET',
              path,
              params: match.params,
              query: url.searchParams,
              headers: req.headers,
              body: rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined,
              rawBody,
              baseUrl,
            });
          }
        }
        const body = response.body === undefined ? '' : typeof response.body === 'string' || Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body);
        res.writeHead(response.status, { ...(typeof response.body === 'object' && response.body !== null ? { 'content-type': 'application/json' } : {}), ...response.headers });
        res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    caPem: cert,
    clock,
    batch,
    faults: { add: (r) => faults.add(r), clear: () => faults.clear() },
    calls: ({ operation }) => callCounts.get(operation) ?? 0,
    client: (options = {}) =>
      createBatchClient(baseUrl, testCredential, { tlsOptions: { ca: cert }, retryOptions: fastRetries, ...options }),
    async stop() {
      clock.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
