// When a VM last started, read from its session samples: the start of the newest run without a gap over 3 minutes.
import { describe, expect, it } from 'vitest';
import { unbrokenSince } from '../../../src/autoscale/session-metric.js';

const MINUTE = 60_000;

describe('unbrokenSince', () => {
  it('is the first sample when no gap is longer than 3 minutes', () => {
    expect(unbrokenSince([0, MINUTE, 4 * MINUTE])).toBe(0);
  });

  it('starts again after a gap of more than 3 minutes', () => {
    expect(unbrokenSince([0, MINUTE, 4 * MINUTE + 1, 5 * MINUTE])).toBe(4 * MINUTE + 1);
  });

  it('is undefined without samples', () => {
    expect(unbrokenSince([])).toBeUndefined();
  });
});
