// Starts what the Batch contract tests need: the emulator (manual clock, random port) and our Batch client pointed
// at it, retrying fast so tests of retried faults do not wait seconds of real time.
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createBatchClient, type BatchClient, type BatchClientOptions } from '../../../src/azure/batch/batch-client.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';

export interface BatchTestEmulator extends Emulator {
  client(options?: BatchClientOptions): BatchClient;
}

export const testCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

export const fastRetries = { retryDelayInMs: 10, maxRetryDelayInMs: 50 };

export async function startBatchTestEmulator(start = new Date('2026-01-05T08:00:00Z')): Promise<BatchTestEmulator> {
  const emulator = await startEmulator({ port: 0, clock: { start } });
  return Object.assign(emulator, {
    client: (options: BatchClientOptions = {}) =>
      createBatchClient(emulator.url, testCredential, { tlsOptions: { ca: emulator.caPem }, retryOptions: fastRetries, ...options }),
  });
}

/** The error a call throws (a RestError or BatchLimitError); fails the test when the call succeeds. */
export async function caught(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; name?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; code?: string; name?: string; message?: string };
  }
  throw new Error('expected the call to fail');
}
