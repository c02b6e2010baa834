import { QueueClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';

describe('test Azurite', () => {
  let azurite: TestAzurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  it('serves queues and tables through the connection string it returns', async () => {
    const queue = new QueueClient(azurite.connectionString, 'probe');
    await queue.create();
    await queue.sendMessage('hello');
    const { receivedMessageItems } = await queue.receiveMessages();
    expect(receivedMessageItems.map((m) => m.messageText)).toEqual(['hello']);

    const table = TableClient.fromConnectionString(azurite.connectionString, 'probe', { allowInsecureConnection: true });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(42);
  });

  it('comes back on the same ports after a restart, without the old data', async () => {
    await azurite.stop();
    azurite = await startAzurite({ ports: azurite.ports });
    const queue = new QueueClient(azurite.connectionString, 'probe');
    expect(await queue.exists()).toBe(false);
  });
});
