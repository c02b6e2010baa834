// Health probes for the app's Azure dependencies: the storage account's Table and Queue services (the app's
// tables/queues must exist), and whether the ARM and Batch endpoints answer at all (information only).
import { request } from 'node:https';
import { TableServiceClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import type { Config } from '../config.js';
import type { HealthProbe } from '../health/health-probe.port.js';
import { credentialFor, tlsOptionsFor } from './credentials.js';
import { storageNames } from './storage.js';

// One try: the health endpoint must answer fast, and the caller polls again anyway.
const noRetries = { maxRetries: 0 };

function tableService(config: Config): TableServiceClient {
  const { connectionString, tableServiceUri } = config.storage;
  if (connectionString) return TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true, retryOptions: noRetries });
  if (!tableServiceUri) throw new Error('no table endpoint configured (AzureWebJobsStorage__tableServiceUri)');
  return new TableServiceClient(tableServiceUri, credentialFor({ credential: 'default' }), { retryOptions: noRetries });
}

function queueService(config: Config): QueueServiceClient {
  const { connectionString, queueServiceUri } = config.storage;
  if (connectionString) return QueueServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } });
  if (!queueServiceUri) throw new Error('no queue endpoint configured (AzureWebJobsStorage__queueServiceUri)');
  return new QueueServiceClient(queueServiceUri, credentialFor({ credential: 'default' }), { retryOptions: { maxTries: 1 } });
}

function missing(expected: readonly string[], found: string[]): string[] {
  const have = new Set(found.map((n) => n.toLowerCase()));
  return expected.filter((n) => !have.has(n));
}

export function storageProbes(config: Config): HealthProbe[] {
  return [
    {
      name: 'table',
      fatal: true,
      async check(abortSignal) {
        const page = await tableService(config).listTables({ abortSignal }).byPage({ maxPageSize: 1000 }).next();
        const absent = missing(storageNames.tables, (page.value ?? []).map((t: { name?: string }) => t.name ?? ''));
        if (absent.length > 0) throw new Error(`tables missing: ${absent.join(', ')} (npm start and infra create them)`);
        return `tables: ${storageNames.tables.join(', ')}`;
      },
    },
    {
      name: 'queue',
      fatal: true,
      async check(abortSignal) {
        const page = await queueService(config).listQueues({ abortSignal }).byPage({ maxPageSize: 1000 }).next();
        const absent = missing(storageNames.queues, (page.value?.queueItems ?? []).map((q: { name: string }) => q.name));
        if (absent.length > 0) throw new Error(`queues missing: ${absent.join(', ')} (npm start and infra create them)`);
        return `queues: ${storageNames.queues.join(', ')}`;
      },
    },
  ];
}

/**
 * Any HTTP answer (even 401/404) means the endpoint is reachable; only the connection is checked, with no token (an
 * anonymous health probe must not spend the app's Azure calls), so ARM and Batch answer 401. `access` says where the
 * app's own access to it shows.
 */
function reachable(name: string, url: string | undefined, config: Config, access: string): HealthProbe {
  return {
    name,
    fatal: false,
    check(signal) {
      if (!url) return Promise.resolve('not configured');
      return new Promise((resolve, reject) => {
        const req = request(url, { method: 'GET', signal, ...tlsOptionsFor(config) }, (res) => {
          res.resume();
          const answer = res.statusCode === 401 ? 'HTTP 401, as expected without a token' : `HTTP ${res.statusCode} without a token`;
          resolve(`reachable (${answer}; only the connection is checked here: ${access})`);
        });
        req.on('error', reject);
        req.end();
      });
    },
  };
}

export function endpointProbes(config: Config): HealthProbe[] {
  return [
    reachable('arm', config.armEndpoint, config, "whether the app's identity may read and scale the scale sets shows in GET /api/pools"),
    reachable('batch', config.batchEndpoint, config, "whether the app's identity may use the Batch account shows when a batch policy is saved (BATCH_POOL_UNUSABLE) and on jobs' lastError"),
  ];
}
