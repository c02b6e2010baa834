// Storage queue output bindings (`output.storageQueue`, as `return` or in extraOutputs): after a successful
// invocation the host writes each value as a message (an array as one message per item), encoded per host.json,
// creating the queue if needed, and wakes this host's own listener on that queue.
import type { QueueServiceClient } from '@azure/storage-queue';
import type { RegisteredFunction, RpcInvocationResponse, RpcTypedData } from './core-api.js';
import { encodeMessage } from './queue-message.js';
import { queueServiceFor } from './queue-connection.js';
import { resolveSettings } from './timer-schedule.js';

export function isQueueOutput(binding: { type?: string | null; direction?: string | null }): boolean {
  return binding.direction === 'out' && binding.type?.toLowerCase() === 'queue';
}

/** One message text per output value: strings as they are, other JSON values serialised. */
export function messagesFrom(data: RpcTypedData | null | undefined): string[] {
  if (!data) return [];
  let value: unknown;
  if (data.json != null) value = JSON.parse(data.json);
  else if (data.string != null) value = data.string;
  else if (data.bytes) value = Buffer.from(data.bytes).toString('utf8');
  else value = data.int ?? data.double;
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

export class QueueOutputs {
  private readonly services = new Map<string, QueueServiceClient>();

  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly encoding: 'base64' | 'none',
    private readonly wrote: (queueName: string) => void,
  ) {}

  async deliver(fn: RegisteredFunction, response: RpcInvocationResponse): Promise<void> {
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (!isQueueOutput(binding)) continue;
      const data = name === '$return' ? response.returnValue : response.outputData?.find((o) => o.name === name)?.data;
      const texts = messagesFrom(data);
      if (texts.length === 0) continue;
      const queueName = resolveSettings(String(binding.queueName ?? ''), this.env).toLowerCase();
      const connection = String(binding.connection ?? 'AzureWebJobsStorage');
      let service = this.services.get(connection);
      if (!service) {
        service = queueServiceFor(connection, this.env);
        this.services.set(connection, service);
      }
      const queue = service.getQueueClient(queueName);
      await queue.createIfNotExists();
      for (const text of texts) await queue.sendMessage(encodeMessage(text, this.encoding));
      this.wrote(queueName);
    }
  }
}
