// Ages shown by `dsvm-pool ls` are real time against the app's own now: locally the emulator's clock runs 60× and
// ahead of the real one, so an age is (app now − job time) / speed real seconds.
import { describe, expect, it } from 'vitest';
import { ago } from '../../../src/cli/app-time.js';

const t0 = '2026-11-02T08:00:00.000Z';
const after = (appSeconds: number, speed = 1) => ({ nowMs: Date.parse(t0) + appSeconds * 1000, speed });

describe('ago: the age of an app-clock time, in real time', () => {
  it('counts seconds below 120 s, minutes below 2 h, hours above', () => {
    expect(ago(t0, after(0))).toBe('0s ago');
    expect(ago(t0, after(119))).toBe('119s ago');
    expect(ago(t0, after(120))).toBe('2m ago');
    expect(ago(t0, after(7199))).toBe('120m ago');
    expect(ago(t0, after(7200))).toBe('2h ago');
    expect(ago(t0, after(5 * 3600 + 1800))).toBe('6h ago');
  });

  it('divides app time by the clock speed: 60 app seconds at 60× is one real second', () => {
    expect(ago(t0, after(60, 60))).toBe('1s ago');
    expect(ago(t0, after(119 * 60, 60))).toBe('119s ago');
    expect(ago(t0, after(120 * 60, 60))).toBe('2m ago');
    expect(ago(t0, after(7200 * 60, 60))).toBe('2h ago');
  });

  it('never goes below 0s: a time slightly ahead of now (another clock) reads 0s ago', () => {
    expect(ago(t0, after(-30))).toBe('0s ago');
  });
});
