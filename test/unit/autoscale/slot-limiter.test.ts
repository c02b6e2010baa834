// SlotLimiter: at most `max` tasks hold a slot; a task that steps outside frees its slot for another and takes one
// again before it goes on; a task abandoned while outside never leaks a slot.
import { describe, expect, it } from 'vitest';
import { SlotLimiter } from '../../../src/autoscale/slot-limiter.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

/** The most of three tasks that held a slot at once. */
async function mostAtOnce(limiter: SlotLimiter): Promise<number> {
  let held = 0;
  let most = 0;
  await Promise.all(Array.from({ length: 3 }, () => limiter.run(async () => {
    most = Math.max(most, ++held);
    await tick();
    held--;
  })));
  return most;
}

describe('SlotLimiter', () => {
  it('holds at most max tasks at once', async () => {
    const limiter = new SlotLimiter(2);
    let held = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 6 }, () => limiter.run(async () => {
      most = Math.max(most, ++held);
      await tick();
      held--;
    })));
    expect(most).toBe(2);
  });

  it('lets another task in while one steps outside, and counts it again when it comes back', async () => {
    const limiter = new SlotLimiter(1);
    const order: string[] = [];
    await Promise.all([
      limiter.run(async (outside) => {
        order.push('a in');
        await outside(async () => {
          await tick();
          order.push('a outside done');
        });
        order.push('a back');
      }),
      limiter.run(async () => {
        order.push('b in');
        await tick();
        await tick();
        order.push('b out');
      }),
    ]);
    expect(order).toEqual(['a in', 'b in', 'a outside done', 'b out', 'a back']);
  });

  it('gives back the slot of a task whose caller gave up on it while it was outside', async () => {
    const limiter = new SlotLimiter(1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let background: Promise<unknown> | undefined;
    await limiter.run(async (outside) => {
      background = outside(() => gate); // the caller returns without waiting (a timeout)
    });
    release();
    await background;
    let ran = false;
    await limiter.run(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
  it('keeps its bound after a task abandoned while outside comes back', async () => {
    const limiter = new SlotLimiter(1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let background: Promise<unknown> | undefined;
    await limiter.run(async (outside) => {
      background = outside(() => gate);
    });
    release();
    await background;
    expect(await mostAtOnce(limiter)).toBe(1);
  });

  it('keeps its bound when an abandoned task steps outside after run() returned', async () => {
    const limiter = new SlotLimiter(1);
    let later: ((inner: () => Promise<void>) => Promise<void>) | undefined;
    await limiter.run(async (outside) => {
      later = outside;
    });
    await later!(async () => undefined);
    expect(await mostAtOnce(limiter)).toBe(1);
  });

  it('holds the slot again after stepping outside until the task ends', async () => {
    const limiter = new SlotLimiter(1);
    const order: string[] = [];
    let late: Promise<unknown> | undefined;
    await limiter.run(async (outside) => {
      await outside(tick);
      late = limiter.run(async () => {
        order.push('late in');
      });
      await tick();
      order.push('first done');
    });
    await late;
    expect(order).toEqual(['first done', 'late in']);
    expect(await mostAtOnce(limiter)).toBe(1);
  });
});
