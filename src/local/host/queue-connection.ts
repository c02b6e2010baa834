// Resolves a queue trigger's `connection` the way the host does: the setting itself holds a connection string,
// or `<connection>__queueServiceUri` / `<connection>__accountName` name an endpoint reached with an identity.
import { DefaultAzureCredential } from '@azure/identity';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';

export function queueServiceFor(connection: string, env: Record<string, string | undefined>): QueueServiceClient {
  const connectionString = env[connection];
  if (connectionString) return QueueServiceClient.fromConnectionString(connectionString);
  const account = env[`${connection}__accountName`];
  const uri = env[`${connection}__queueServiceUri`] ?? (account && `https://${account}.queue.core.windows.net`);
  if (uri) return new QueueServiceClient(uri, new DefaultAzureCredential());
  throw new Error(
    `Queue trigger connection "${connection}" is not configured: set the app setting ${connection} (a connection string) or ${connection}__queueServiceUri`,
  );
}

export function queueClientsFor(
  connection: string,
  queueName: string,
  env: Record<string, string | undefined>,
): { queue: QueueClient; poison: QueueClient } {
  const service = queueServiceFor(connection, env);
  return { queue: service.getQueueClient(queueName), poison: service.getQueueClient(`${queueName}-poison`) };
}
