// A small seeded PRNG (mulberry32) so placement and fault rates are reproducible run to run.
export type SeededRandom = () => number;

/** Returns a function yielding floats in [0, 1), fully determined by `seed`. */
export function createSeededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
