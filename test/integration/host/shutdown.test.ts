// Graceful shutdown: stop() stops accepting, lets in-flight invocations finish (within the bound), then closes.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/local/host/index.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';

const appRoot = fileURLToPath(new URL('../../fixtures/host-app', import.meta.url));

describe('local host: graceful shutdown', () => {
  let azurite: TestAzurite;
  let host: RunningHost;
  const lines: string[] = [];

  beforeAll(async () => {
    azurite = await startAzurite();
    host = await startHost({
      appRoot,
      port: 0,
      timers: 'manual',
      env: { AzureWebJobsStorage: azurite.connectionString, TICK_SCHEDULE: '0 0 * * * *', FAILING_QUEUE: 'failing' },
      shutdownTimeoutInMs: 5_000,
      log: (l) => lines.push(l),
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('finishes the in-flight request, then refuses new connections', async () => {
    const inFlight = fetch(`${host.url}/api/slow?ms=1000`);
    await new Promise((r) => setTimeout(r, 200)); // the request has reached the handler
    const stopped = host.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    await stopped;
    await expect(fetch(`${host.url}/api/slow?ms=1`)).rejects.toThrow();
    expect(lines.some((l) => l.includes('Host stopped'))).toBe(true);
  });
});
