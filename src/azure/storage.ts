// Table and queue clients for the app's own storage account: a connection string locally (Azurite),
// managed identity in Azure.
import { TableClient } from '@azure/data-tables';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { QueueClient } from '@azure/storage-queue';
import type { Config } from '../config.js';
import { credentialFor } from './credentials.js';

type StorageDeps = Pick<Config, 'storage' | 'credential'>;

const timedClients = new Map<number, HttpClient>();

/**
 * An HTTP client that abandons one try after `ms` milliseconds (core-rest-pipeline's `PipelineRequest.timeout`: the
 * Node client aborts the request and the call rejects with an AbortError, which the SDK's retry policy does not
 * retry). Without it a storage endpoint that accepts the connection but never answers holds the caller for minutes.
 * One client per timeout, shared, so its keep-alive connections are reused.
 */
function timedHttpClient(ms: number): HttpClient {
  let client = timedClients.get(ms);
  if (!client) {
    const inner = createDefaultHttpClient();
    client = {
      sendRequest(request) {
        if (!request.timeout) request.timeout = ms;
        return inner.sendRequest(request);
      },
    };
    timedClients.set(ms, client);
  }
  return client;
}

/**
 * What a failed storage call says, for the error classifiers (table-errors.ts, job-store-errors.ts): a request the
 * storage timeout abandoned (an AbortError without an HTTP status, see timedHttpClient) is `abandoned`, in words that
 * name the setting; anything else keeps its own message.
 */
export function storageFailure(what: string, error: unknown): { abandoned: boolean; message: string } {
  const e = (error ?? {}) as { statusCode?: unknown; name?: unknown; message?: unknown };
  const abandoned = typeof e.statusCode !== 'number' && e.name === 'AbortError';
  if (abandoned) return { abandoned, message: `${what}: storage did not answer in time (DSVMPOOL_STORAGE_TIMEOUT_SECONDS), so the request was abandoned` };
  return { abandoned, message: `${what}: ${typeof e.message === 'string' ? e.message : String(error)}` };
}

/** A client of one table; each request try is abandoned after `config.storage.tryTimeoutMs` (when set). */
export function tableClient(config: StorageDeps, table: string): TableClient {
  const { connectionString, tableServiceUri, tryTimeoutMs } = config.storage;
  const options = tryTimeoutMs ? { httpClient: timedHttpClient(tryTimeoutMs) } : {};
  if (connectionString) {
    return TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true, ...options });
  }
  if (!tableServiceUri) throw new Error('No table endpoint configured (AzureWebJobsStorage__tableServiceUri).');
  return new TableClient(tableServiceUri, table, credentialFor({ credential: 'default' }), options);
}

/**
 * A client of one queue. `tryTimeoutInMs` is only the server-side timeout the Queue service applies (the `timeout`
 * URI parameter, storage-common's StorageRetryPolicy); callers bound the whole call with an abort signal (see
 * src/azure/job-queue.ts).
 */
export function queueClient(config: StorageDeps, queue: string): QueueClient {
  const { connectionString, queueServiceUri, tryTimeoutMs } = config.storage;
  const options = tryTimeoutMs ? { retryOptions: { tryTimeoutInMs: tryTimeoutMs } } : {};
  if (connectionString) return new QueueClient(connectionString, queue, options);
  if (!queueServiceUri) throw new Error('No queue endpoint configured (AzureWebJobsStorage__queueServiceUri).');
  return new QueueClient(`${queueServiceUri.replace(/\/+$/, '')}/${queue}`, credentialFor({ credential: 'default' }), options);
}

/** Names of the tables and queues the app uses; `npm start` and infra create exactly these. */
export const storageNames = {
  tables: ['policies', 'scaleevents', 'jobs', 'leases', 'poolbroker', 'vmsessions'],
  queues: ['jobs', 'jobs-poison'],
} as const;
