// Contract: how our Batch client authenticates and pages, seen from the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { BATCH_SCOPE, createBatchClient } from '../../../src/azure/batch/batch-client.js';
import { startBatchTestEmulator, type BatchTestEmulator } from './batch-emulator-support.js';

let emu: BatchTestEmulator;

beforeAll(async () => {
  emu = await startBatchTestEmulator();
  emu.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 });
});
afterAll(async () => emu?.stop());

describe('Batch client', () => {
  it('asks its credential for a token at the Batch scope, whatever the endpoint', async () => {
    const scopes: string[][] = [];
    const credential: TokenCredential = {
      async getToken(s: string | string[], _o?: GetTokenOptions): Promise<AccessToken> {
        scopes.push([s].flat());
        return { token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const client = createBatchClient(emu.url, credential, { tlsOptions: { ca: emu.caPem } });
    await client.getPool('cpu');
    expect(scopes).toEqual([[BATCH_SCOPE]]);
    expect(BATCH_SCOPE).toBe('https://batch.core.windows.net/.default');
  });

  it('is refused (401) by the emulator without a token, surfacing the Batch code', async () => {
    const noToken: TokenCredential = { getToken: async () => ({ token: '', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const client = createBatchClient(emu.url, noToken, { tlsOptions: { ca: emu.caPem }, retryOptions: { maxRetries: 0 } });
    await expect(client.getPool('cpu')).rejects.toMatchObject({ statusCode: 401, code: 'AuthenticationFailed' });
  });

  it('pages with byPage() and stops after the last page', async () => {
    const client = emu.client();
    await client.addJob({ id: 'paging', poolInfo: { poolId: 'cpu' } });
    await client.addTaskCollection('paging', Array.from({ length: 7 }, (_, i) => ({ id: `p${i}`, commandLine: 'echo' })));
    const sizes: number[] = [];
    for await (const page of client.listTasks('paging', { maxResults: 3 }).byPage()) sizes.push(page.length);
    expect(sizes).toEqual([3, 3, 1]);
    const before = emu.calls({ operation: 'batch.task.list' });
    for await (const page of client.listTasks('paging', { maxResults: 7 }).byPage()) sizes.push(page.length);
    expect(emu.calls({ operation: 'batch.task.list' }) - before).toBe(1);
  });
});
