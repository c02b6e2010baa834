// `npm start -- --persist` keeps storage across restarts: Azurite started with a location keeps what was written;
// in memory (the default) it does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../src/local/azurite.js';

const dir = mkdtempSync(join(tmpdir(), 'dsvm-pool-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeThenRestart(location: string | undefined): Promise<boolean> {
  let azurite: RunningAzurite | undefined = await startAzurite({ location });
  try {
    const table = TableClient.fromConnectionString(azurite.connectionString, 'policies', { allowInsecureConnection: true });
    await table.createTable();
    await table.createEntity({ partitionKey: 'pool', rowKey: 'kept', kind: 'vmss' });
    await azurite.stop();
    azurite = await startAzurite({ location });
    const again = TableClient.fromConnectionString(azurite.connectionString, 'policies', { allowInsecureConnection: true });
    try {
      await again.getEntity('pool', 'kept');
      return true;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return false;
      throw e;
    }
  } finally {
    await azurite?.stop();
  }
}

describe('Azurite persistence (npm start --persist)', () => {
  it('keeps a written row across a restart when given a location', async () => {
    expect(await writeThenRestart(join(dir, '.azurite'))).toBe(true);
  });

  it('keeps nothing across a restart in memory', async () => {
    expect(await writeThenRestart(undefined)).toBe(false);
  });
});
