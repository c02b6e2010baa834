// Table and queue clients for the app's own storage account: a connection string locally (Azurite),
// managed identity in Azure.
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import type { Config } from '../config.js';
import { credentialFor } from './credentials.js';

type StorageDeps = Pick<Config, 'storage' | 'credential'>;

export function tableClient(config: StorageDeps, table: string): TableClient {
  const { connectionString, tableServiceUri } = config.storage;
  if (connectionString) {
    return TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
  }
  if (!tableServiceUri) throw new Error('No table endpoint configured (AzureWebJobsStorage__tableServiceUri).');
  return new TableClient(tableServiceUri, table, credentialFor({ credential: 'default' }));
}

export function queueClient(config: StorageDeps, queue: string): QueueClient {
  const { connectionString, queueServiceUri } = config.storage;
  if (connectionString) return new QueueClient(connectionString, queue);
  if (!queueServiceUri) throw new Error('No queue endpoint configured (AzureWebJobsStorage__queueServiceUri).');
  return new QueueClient(`${queueServiceUri.replace(/\/+$/, '')}/${queue}`, credentialFor({ credential: 'default' }));
}

/** Names of the tables and queues the app uses; `npm start` and infra create exactly these. */
export const storageNames = {
  tables: ['policies', 'scaleevents', 'jobs', 'leases', 'poolbroker', 'vmsessions'],
  queues: ['jobs', 'jobs-poison'],
} as const;
