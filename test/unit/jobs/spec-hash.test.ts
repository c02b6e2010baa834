// The payload hash that catches a reused Idempotency-Key with another body, and the user key of a job's partition.
// Both are stored (in Idempotency-Key rows and job ids), so their values must not change between releases.
import { describe, expect, it } from 'vitest';
import { specHash, userKeyOf } from '../../../src/jobs/spec-hash.js';

/** Every order of the items. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('specHash', () => {
  // sha256 of {"a":{"d":[{"e":2,"f":1}],"f":1},"b":1,"c":"x","g":[3,1]}: keys sorted at every depth, undefined dropped,
  // array order kept.
  const HASH = 'fb1bed47b4d8c6f9d4689858a5c3b2793b23588458c665c00782d6dfdb28280a';
  const entries: [string, unknown][] = [
    ['a', { f: 1, d: [{ f: 1, e: 2 }], e: undefined }],
    ['b', 1],
    ['c', 'x'],
    ['g', [3, 1]],
  ];

  it('is the same for the keys in any order, at every depth', () => {
    const hashes = new Set(permutations(entries).map((order) => specHash(Object.fromEntries(order))));
    expect([...hashes]).toEqual([HASH]);
    expect(specHash(Object.fromEntries([...entries, ['z', undefined]]))).toBe(HASH);
  });

  it('differs for another value or another array order', () => {
    expect(specHash({ ...Object.fromEntries(entries), b: 2 })).not.toBe(HASH);
    expect(specHash({ ...Object.fromEntries(entries), g: [1, 3] })).not.toBe(HASH);
  });
});

describe('userKeyOf', () => {
  it('is 12 hex chars of sha256 of the user name in lower case', () => {
    expect(userKeyOf('ann')).toBe('49915e0d7d4b');
    expect(userKeyOf('Ann')).toBe('49915e0d7d4b');
    expect(userKeyOf('bob')).toBe('81b637d8fcd2');
  });
});
