// mapBounded: at most `limit` runs in flight, results in input order.
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../../src/autoscale/map-bounded.js';

async function run(items: number[], limit: number): Promise<{ results: number[]; most: number }> {
  let inFlight = 0;
  let most = 0;
  const results = await mapBounded(items, limit, async (n) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 10 - n));
    inFlight--;
    return n * 10;
  });
  return { results, most };
}

describe('mapBounded', () => {
  it('runs up to the limit at once and keeps the input order', async () => {
    expect(await run([1, 2, 3, 4, 5], 2)).toEqual({ results: [10, 20, 30, 40, 50], most: 2 });
  });

  it('runs one at a time with a limit below one, and no more than there are items', async () => {
    expect(await run([1, 2, 3], 0)).toEqual({ results: [10, 20, 30], most: 1 });
    expect(await run([1, 2], 8)).toEqual({ results: [10, 20], most: 2 });
    expect(await run([], 4)).toEqual({ results: [], most: 0 });
  });
});
