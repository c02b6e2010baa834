// Queue polling as the host does it, against a recording fake of the queue client (the narrow seam): batches of
// batchSize, back-off from 100 ms doubling to maxPollingInterval while the queue is empty, straight back to polling
// while messages come, and no new batch while more than newBatchThreshold messages are still running.
import type { QueueClient } from '@azure/storage-queue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegisteredFunction } from '../../../src/local/host/core-api.js';
import type { QueueOptions } from '../../../src/local/host/host-json.js';
import { HostLog } from '../../../src/local/host/host-log.js';
import type { Invoker } from '../../../src/local/host/invoker.js';
import { QueueTrigger } from '../../../src/local/host/queue-trigger.js';

const options: QueueOptions = {
  batchSize: 4,
  newBatchThreshold: 2,
  maxPollingIntervalInMs: 1_000,
  visibilityTimeoutInMs: 0,
  maxDequeueCount: 5,
  messageEncoding: 'none',
};
const fn = { functionId: '1', metadata: { name: 'work', bindings: {} }, callback: () => undefined } as RegisteredFunction;

function message(i: number) {
  const now = new Date();
  return { messageId: `m${i}`, popReceipt: `p${i}`, messageText: `{"i":${i}}`, dequeueCount: 1, insertedOn: now, expiresOn: now, nextVisibleOn: now };
}

function fakeQueue(batches: number[], dequeueCount = 1) {
  const polls: { at: number; numberOfMessages?: number }[] = [];
  let next = 0;
  const queue = {
    name: 'work',
    async receiveMessages(o: { numberOfMessages?: number }) {
      polls.push({ at: Date.now(), numberOfMessages: o.numberOfMessages });
      const n = batches.shift() ?? 0;
      return { receivedMessageItems: Array.from({ length: n }, () => ({ ...message(next++), dequeueCount })) };
    },
    deleteMessage: vi.fn(async () => ({})),
    updateMessage: vi.fn(async () => ({ popReceipt: 'renewed' })),
    createIfNotExists: vi.fn(async () => ({})),
    sendMessage: vi.fn(async () => ({})),
  };
  return { queue: queue as unknown as QueueClient, polls, deleteMessage: queue.deleteMessage, updateMessage: queue.updateMessage, sendMessage: queue.sendMessage };
}

describe('QueueTrigger polling', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('backs off from 100 ms, doubling up to maxPollingInterval, while the queue is empty', async () => {
    const { queue, polls } = fakeQueue([]);
    const invoker = { invoke: vi.fn() } as unknown as Invoker;
    const trigger = new QueueTrigger(fn, 'msg', queue, queue, options, invoker, new HostLog(() => undefined));
    trigger.start();
    await vi.advanceTimersByTimeAsync(5_000);
    const gaps = polls.slice(1).map((p, i) => p.at - polls[i]!.at);
    expect(gaps.slice(0, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(polls.every((p) => p.numberOfMessages === 4)).toBe(true);
    const stopping = trigger.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });

  it('polls again at once while messages keep coming, and deletes each processed message', async () => {
    const { queue, polls, deleteMessage } = fakeQueue([4, 4, 1]);
    const invoker = { invoke: vi.fn(async () => ({ ok: true, invocationId: 'x', response: {} })) } as unknown as Invoker;
    const trigger = new QueueTrigger(fn, 'msg', queue, queue, options, invoker, new HostLog(() => undefined));
    trigger.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(polls.slice(0, 4).map((p) => p.at)).toEqual([0, 0, 0, 0]); // three full-ish batches and an empty poll, no waiting
    expect(deleteMessage).toHaveBeenCalledTimes(9);
    const stopping = trigger.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });

  it('fetches no new batch while more than newBatchThreshold messages are running', async () => {
    const { queue, polls } = fakeQueue([4, 4, 4, 4]);
    let running = 0;
    let maxRunning = 0;
    const invoker = {
      invoke: vi.fn(async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 1_000));
        running--;
        return { ok: true, invocationId: 'x', response: {} };
      }),
    } as unknown as Invoker;
    const trigger = new QueueTrigger(fn, 'msg', queue, queue, options, invoker, new HostLog(() => undefined));
    trigger.start();
    await vi.advanceTimersByTimeAsync(500);
    expect(polls).toHaveLength(1); // 4 running > threshold 2: wait
    expect(running).toBe(4);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(maxRunning).toBeLessThanOrEqual(options.batchSize + options.newBatchThreshold);
    expect(invoker.invoke).toHaveBeenCalledTimes(16);
    const stopping = trigger.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
  });

  it('makes a failed message visible again after visibilityTimeout, keeping its text', async () => {
    const { queue, updateMessage, deleteMessage } = fakeQueue([1]);
    const invoker = { invoke: vi.fn(async () => ({ ok: false, invocationId: 'x', error: new Error('no') })) } as unknown as Invoker;
    const trigger = new QueueTrigger(fn, 'msg', queue, queue, { ...options, visibilityTimeoutInMs: 10_000 }, invoker, new HostLog(() => undefined));
    trigger.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(updateMessage).toHaveBeenCalledWith('m0', 'p0', undefined, 10);
    expect(deleteMessage).not.toHaveBeenCalled();
    const stopping = trigger.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });

  it('moves a message received past maxDequeueCount to the poison queue without running the function', async () => {
    const { queue: work, deleteMessage } = fakeQueue([1], options.maxDequeueCount + 1);
    const poison = fakeQueue([]);
    const invoker = { invoke: vi.fn() } as unknown as Invoker;
    const trigger = new QueueTrigger(fn, 'msg', work, poison.queue, options, invoker, new HostLog(() => undefined));
    trigger.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(invoker.invoke).not.toHaveBeenCalled();
    expect(poison.sendMessage).toHaveBeenCalledWith('{"i":0}');
    expect(deleteMessage).toHaveBeenCalledWith('m0', 'p0');
    const stopping = trigger.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });
});
