// Creates the tables and queues the app uses (names from src/azure/storage.ts) in a storage account; `npm start`
// and the test stack run it against Azurite, as infra creates them in Azure.
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { storageNames } from '../azure/storage.js';

export async function createAppStorage(connectionString: string): Promise<void> {
  await Promise.all([
    ...storageNames.tables.map((t) => TableClient.fromConnectionString(connectionString, t, { allowInsecureConnection: true }).createTable()),
    ...storageNames.queues.map((q) => new QueueClient(connectionString, q).createIfNotExists()),
  ]);
}
