// The settling window: an evaluation a connect triggered counts the people who queue while others keep arriving, stops
// once nobody new came for the quiet time (longer when storage answers slowly), and never waits past its bound.
import { describe, expect, it } from 'vitest';
import type { BrokerStore, PoolPartition } from '../../../src/broker/broker-store.port.js';
import { settleWaiting, type SettleWindow } from '../../../src/broker/settle-waiting.js';
import { NOW } from '../autoscale/factories.js';

/**
 * A store whose waiting rows appear at given virtual times (ms); every read takes `readMs` of virtual time. `expired`:
 * times at which rows appear that have already expired (a wait given up on, its row not yet gone). Returns the store,
 * the virtual clock and how many reads were made.
 */
function arrivals(at: number[], readMs = 0, expired: number[] = []) {
  let t = 0;
  let reads = 0;
  const expiresAt = new Date(NOW.getTime() + 5 * 60_000).toISOString();
  const store = {
    async read(): Promise<PoolPartition> {
      reads++;
      t += readMs;
      const live = at.filter((a) => a <= t).map((a, i) => ({ user: `u${i}@example.com`, kind: 'jupyter' as const, since: NOW.toISOString(), expiresAt }));
      const gone = expired.filter((a) => a <= t).map((a, i) => ({ user: `gone${i}@example.com`, kind: 'jupyter' as const, since: NOW.toISOString(), expiresAt: NOW.toISOString() }));
      return { seats: [], waiting: [...live, ...gone] };
    },
  } as unknown as BrokerStore;
  const window = (w: Omit<SettleWindow, 'sleep' | 'nowMs'>): SettleWindow => ({ ...w, nowMs: () => t, sleep: async (ms) => void (t += ms) });
  return { store, window, elapsed: () => t, reads: () => reads };
}

const counted = async (a: ReturnType<typeof arrivals>, w: Omit<SettleWindow, 'sleep' | 'nowMs'>) => (await settleWaiting(a.store, 'pool', NOW, a.window(w))).waiting.length;

describe('settleWaiting', () => {
  it('counts everyone who queues less than the quiet time after the one before', async () => {
    const a = arrivals([0, 300, 700, 1500, 2400]);
    expect(await counted(a, { quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 100 })).toBe(5);
    // Done 1 s after the last arrival (2400 ms), not later.
    expect(a.elapsed()).toBe(3400);
  });

  it('stops once nobody new came for the quiet time: a later arrival is left to the next evaluation', async () => {
    const a = arrivals([0, 200, 1400]);
    expect(await counted(a, { quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 100 })).toBe(2);
    expect(a.elapsed()).toBe(1200);
  });

  it('never lasts past its bound, however steadily people keep arriving', async () => {
    const a = arrivals(Array.from({ length: 100 }, (_, i) => i * 200));
    expect(await counted(a, { quietMs: 1000, quietReads: 4, maxMs: 3000, pollMs: 100 })).toBe(16);
    expect(a.elapsed()).toBe(3000);
  });

  it('waits longer for the quiet when storage answers slowly (4 × the slowest read)', async () => {
    // Reads take 600 ms: quiet is 2.4 s, so someone 2 s after the last arrival is still counted.
    const slow = arrivals([0, 2000], 600);
    expect(await counted(slow, { quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 100 })).toBe(2);
    // The same arrivals with fast reads: the quiet time (1 s) has passed before the second person queues.
    const fast = arrivals([0, 2000], 0);
    expect(await counted(fast, { quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 100 })).toBe(1);
  });

  it('counts the quiet from the end of the read that saw the last arrival, for 4 × the slowest read', async () => {
    // Reads take 600 ms: the first ends at 600 ms, so the quiet lasts until 3000 ms (2.4 s), not 1600 ms (1 s). The
    // second person queues at 2500 ms, after the fast-storage quiet but within the slow one.
    const slow = arrivals([0, 2500], 600);
    expect(await counted(slow, { quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 100 })).toBe(2);
    // The read that saw them ended at 2700 ms; quiet until 5100 ms; reads end at 3400, 4100, 4800 and 5500 ms.
    expect(slow.elapsed()).toBe(5500);
  });

  it('does not wait longer for a row that has already expired: nobody new is asking', async () => {
    const a = arrivals([0], 0, [500]);
    const partition = await settleWaiting(a.store, 'pool', NOW, a.window({ quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 100 }));
    expect(a.elapsed()).toBe(1000);
    // The partition is handed on as read: the evaluation judges the rows itself.
    expect(partition.waiting.map((w) => w.user)).toEqual(['u0@example.com', 'gone0@example.com']);
  });

  it('reads storage once per poll interval at most', async () => {
    const a = arrivals([0]);
    await counted(a, { quietMs: 1000, quietReads: 4, maxMs: 10_000, pollMs: 250 });
    expect(a.reads()).toBe(5); // the first read, then at 250, 500, 750 and 1000 ms
  });
});
