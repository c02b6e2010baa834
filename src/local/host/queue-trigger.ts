// Drives one queue-triggered function with the Functions host's queue semantics from host.json: batches of
// batchSize, a new batch once in-flight work drops to newBatchThreshold, polling that backs off from 100 ms to
// maxPollingInterval when idle (and polls straight away while messages keep coming), messages invisible while they
// run, deleted on success, visible again after visibilityTimeout on failure, moved to <queue>-poison after
// maxDequeueCount.
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { RegisteredFunction } from './core-api.js';
import type { QueueOptions } from './host-json.js';
import type { HostLog } from './host-log.js';
import type { Invoker } from './invoker.js';
import { decodeMessage, queueTriggerMetadata, type QueueMessage } from './queue-message.js';

const MIN_POLL_MS = 100;
/** How long a received message stays hidden; renewed at half-time while the function still runs. */
const LEASE_SECONDS = 600;

export class QueueTrigger {
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private warnedMissing = false;

  constructor(
    private readonly fn: RegisteredFunction,
    private readonly bindingName: string,
    private readonly queue: QueueClient,
    private readonly poison: QueueClient,
    private readonly options: QueueOptions,
    private readonly invoker: Invoker,
    private readonly log: HostLog,
  ) {}

  get name(): string {
    return this.fn.metadata.name;
  }

  get queueName(): string {
    return this.queue.name;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Poll now instead of waiting out the back-off (the host does this when it writes to its own queues). */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs the function on a message given directly (admin API), without touching the queue. */
  async invokeText(text: string): Promise<void> {
    const now = new Date();
    const m: QueueMessage = {
      messageId: randomUUID(),
      popReceipt: '',
      messageText: text,
      dequeueCount: 1,
      insertedOn: now,
      expiresOn: new Date(now.getTime() + 7 * 86_400_000),
      nextVisibleOn: now,
    };
    const outcome = await this.invoker.invoke(this.fn, 'queue', {
      inputData: [{ name: this.bindingName, data: { string: text } }],
      triggerMetadata: queueTriggerMetadata(m, text, this.name, now),
    });
    if (!outcome.ok) throw outcome.error;
  }

  private async run(): Promise<void> {
    let delay = MIN_POLL_MS;
    while (!this.stopped) {
      if (this.inFlight.size > this.options.newBatchThreshold) {
        await Promise.race([...this.inFlight]);
        continue;
      }
      const received = await this.receive();
      if (this.stopped) break;
      for (const m of received) {
        const p: Promise<void> = this.process(m)
          .catch((err: unknown) => this.log.host('error', `Queue trigger "${this.name}": ${(err as Error).message}`))
          .finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }
      if (received.length > 0) {
        delay = MIN_POLL_MS;
        continue;
      }
      await this.sleep(delay);
      delay = Math.min(delay * 2, Math.max(MIN_POLL_MS, this.options.maxPollingIntervalInMs));
    }
  }

  private async receive(): Promise<QueueMessage[]> {
    try {
      const res = await this.queue.receiveMessages({ numberOfMessages: this.options.batchSize, visibilityTimeout: LEASE_SECONDS });
      this.warnedMissing = false;
      return res.receivedMessageItems.map((m) => ({
        messageId: m.messageId,
        popReceipt: m.popReceipt,
        messageText: m.messageText,
        dequeueCount: m.dequeueCount,
        insertedOn: m.insertedOn,
        expiresOn: m.expiresOn,
        nextVisibleOn: m.nextVisibleOn,
      }));
    } catch (err) {
      if (!this.warnedMissing) {
        this.log.host('warning', `Queue trigger "${this.name}": cannot read queue "${this.queue.name}": ${(err as Error).message}`);
        this.warnedMissing = true;
      }
      return [];
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async process(m: QueueMessage): Promise<void> {
    const lease = { popReceipt: m.popReceipt };
    if (m.dequeueCount > this.options.maxDequeueCount) return this.moveToPoison(m, lease.popReceipt, 'dequeue count above maxDequeueCount');
    const decoded = decodeMessage(m.messageText, this.options.messageEncoding);
    if (!decoded.ok) return this.moveToPoison(m, lease.popReceipt, decoded.reason);
    const renew = setInterval(() => {
      this.queue
        .updateMessage(m.messageId, lease.popReceipt, undefined, LEASE_SECONDS)
        .then((r) => (lease.popReceipt = r.popReceipt ?? lease.popReceipt))
        .catch(() => undefined);
    }, (LEASE_SECONDS * 1000) / 2);
    let ok: boolean;
    try {
      const outcome = await this.invoker.invoke(this.fn, 'queue', {
        inputData: [{ name: this.bindingName, data: { string: decoded.text } }],
        triggerMetadata: queueTriggerMetadata(m, decoded.text, this.name, new Date()),
      });
      ok = outcome.ok;
    } finally {
      clearInterval(renew);
    }
    try {
      if (ok) await this.queue.deleteMessage(m.messageId, lease.popReceipt);
      else if (m.dequeueCount >= this.options.maxDequeueCount) await this.moveToPoison(m, lease.popReceipt, `failed ${m.dequeueCount} times`);
      else await this.queue.updateMessage(m.messageId, lease.popReceipt, undefined, Math.round(this.options.visibilityTimeoutInMs / 1000));
    } catch (err) {
      // Lost the lease (e.g. storage restarted): the message reappears on its own.
      this.log.host('warning', `Queue trigger "${this.name}": could not settle message ${m.messageId}: ${(err as Error).message}`);
    }
  }

  private async moveToPoison(m: QueueMessage, popReceipt: string, reason: string): Promise<void> {
    await this.poison.createIfNotExists();
    await this.poison.sendMessage(m.messageText);
    await this.queue.deleteMessage(m.messageId, popReceipt);
    this.log.host('warning', `Moved message ${m.messageId} to queue "${this.poison.name}": ${reason}`, { function: this.name });
  }
}
