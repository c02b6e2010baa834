// The local host's queue triggers against Azurite, with the fixture's host.json: base64 messages, payload parsing,
// trigger metadata, invisibility while running, retries with dequeueCount, and the poison queue.
import { QueueClient } from '@azure/storage-queue';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/local/host/index.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';

const appRoot = fileURLToPath(new URL('../../fixtures/host-app', import.meta.url));
type Event = { kind: string; message?: unknown; metadata?: Record<string, unknown>; dequeueCount?: number };
const events = (): Event[] => (globalThis as unknown as Record<symbol, Event[]>)[Symbol.for('host-app-fixture.events')] ?? [];
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('local host: queue triggers', () => {
  let azurite: TestAzurite;
  let host: RunningHost;
  let work: QueueClient;
  let failing: QueueClient;

  beforeAll(async () => {
    azurite = await startAzurite();
    work = new QueueClient(azurite.connectionString, 'work');
    failing = new QueueClient(azurite.connectionString, 'failing');
    await work.create();
    await failing.create();
    host = await startHost({
      appRoot,
      port: 0,
      timers: 'manual',
      env: { AzureWebJobsStorage: azurite.connectionString, TICK_SCHEDULE: '0 0 * * * *', FAILING_QUEUE: 'failing' },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('decodes a base64 JSON message, parses it, deletes it on success and passes the trigger metadata', async () => {
    const sent = await work.sendMessage(b64(JSON.stringify({ jobId: 'j-1' })));
    await expect.poll(() => events().find((e) => e.kind === 'work' && (e.message as { jobId?: string })?.jobId === 'j-1'), { timeout: 10_000 }).toBeTruthy();
    const e = events().find((x) => x.kind === 'work' && (x.message as { jobId?: string })?.jobId === 'j-1')!;
    expect(e.metadata).toMatchObject({
      id: sent.messageId,
      dequeueCount: 1,
      insertionTime: sent.insertedOn.toISOString(),
      expirationTime: sent.expiresOn.toISOString(),
      nextVisibleTime: expect.any(String),
      popReceipt: expect.any(String),
      queueTrigger: { jobId: 'j-1' },
    });
    await expect.poll(async () => (await work.getProperties()).approximateMessagesCount, { timeout: 5_000 }).toBe(0);
  });

  it('passes a message that is not JSON as a string', async () => {
    await work.sendMessage(b64('plain words'));
    await expect.poll(() => events().some((e) => e.kind === 'work' && e.message === 'plain words'), { timeout: 10_000 }).toBe(true);
  });

  it('keeps a message invisible while its function runs', async () => {
    await work.sendMessage(b64(JSON.stringify({ sleepMs: 1500, tag: 'slow' })));
    await expect.poll(() => events().some((e) => e.kind === 'work-start' && (e.message as { tag?: string })?.tag === 'slow'), { timeout: 10_000 }).toBe(true);
    const peeked = await work.peekMessages({ numberOfMessages: 32 });
    expect(peeked.peekedMessageItems).toHaveLength(0);
    expect((await work.getProperties()).approximateMessagesCount).toBe(1); // still there, only hidden
    await expect.poll(async () => (await work.getProperties()).approximateMessagesCount, { timeout: 10_000 }).toBe(0);
  });

  it('retries a failing message until maxDequeueCount, then moves the original text to <queue>-poison', async () => {
    const original = b64(JSON.stringify({ bad: true }));
    await failing.sendMessage(original);
    const poison = new QueueClient(azurite.connectionString, 'failing-poison');
    await expect.poll(async () => (await poison.exists()) && (await poison.peekMessages()).peekedMessageItems.length, { timeout: 20_000 }).toBe(1);
    expect(events().filter((e) => e.kind === 'fail').map((e) => e.dequeueCount)).toEqual([1, 2, 3]);
    expect((await poison.peekMessages()).peekedMessageItems[0]!.messageText).toBe(original);
    expect((await failing.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('moves a message that is not valid base64 to the poison queue without running the function', async () => {
    const before = events().length;
    await work.sendMessage('not base64 at all!');
    const poison = new QueueClient(azurite.connectionString, 'work-poison');
    await expect.poll(async () => (await poison.exists()) && (await poison.peekMessages()).peekedMessageItems[0]?.messageText, { timeout: 10_000 }).toBe('not base64 at all!');
    expect(events().slice(before).filter((e) => e.kind === 'work')).toEqual([]);
  });

  it('processes a burst larger than one batch', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => work.sendMessage(b64(JSON.stringify({ burst: i })))));
    await expect
      .poll(() => new Set(events().filter((e) => e.kind === 'work').map((e) => (e.message as { burst?: number })?.burst).filter((b) => b !== undefined)).size, { timeout: 15_000 })
      .toBe(10);
  });

  it('writes output binding values as base64 messages, one per array item, and its listener picks them up', async () => {
    const res = await fetch(`${host.url}/api/enqueue`, { method: 'POST', body: JSON.stringify([{ enqueued: 1 }, 'two']) });
    expect(res.status).toBe(202);
    await expect
      .poll(() => events().filter((e) => e.kind === 'work').map((e) => e.message).filter((m) => m === 'two' || (m as { enqueued?: number })?.enqueued === 1), { timeout: 10_000 })
      .toHaveLength(2);
  });
});
