// The pool timeout: work that ends in time is untouched; work that outlives it is aborted and reported.
import { describe, expect, it, vi } from 'vitest';
import { withinPoolTimeout } from '../../../src/autoscale/within-pool-timeout.js';

describe('withinPoolTimeout', () => {
  it('aborts the work and rejects with EVALUATION_TIMEOUT naming what took too long, at the bound', async () => {
    vi.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const run = withinPoolTimeout(6_000, 'reading pool "a" from Azure', (s) => ((signal = s), new Promise(() => undefined)));
      const outcome = expect(run).rejects.toMatchObject({ code: 'EVALUATION_TIMEOUT', message: 'reading pool "a" from Azure took longer than 6 s' });
      await vi.advanceTimersByTimeAsync(5_999);
      expect(signal!.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await outcome;
      expect(signal!.aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers EVALUATION_TIMEOUT even when the work rejects first, inside the abort callback (as the Azure SDK does)', async () => {
    vi.useFakeTimers();
    try {
      const run = withinPoolTimeout(6_000, 'evaluation', (s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(new Error('The operation was aborted')))));
      const outcome = expect(run).rejects.toMatchObject({ code: 'EVALUATION_TIMEOUT' });
      await vi.advanceTimersByTimeAsync(6_000);
      await outcome;
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes through what the work answers or throws in time, and bounds nothing without a timeout', async () => {
    await expect(withinPoolTimeout(6_000, 'x', async () => 42)).resolves.toBe(42);
    await expect(withinPoolTimeout(6_000, 'x', async () => Promise.reject(new Error('ARM said no')))).rejects.toThrow('ARM said no');
    await expect(withinPoolTimeout(undefined, 'x', async (s) => s.aborted)).resolves.toBe(false);
  });
  it('never aborts work that ended in time, however long after', async () => {
    vi.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      await expect(withinPoolTimeout(6_000, 'x', async (s) => ((signal = s), 42))).resolves.toBe(42);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(signal!.aborted).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
