// A failure or dry-run plan that repeats the pool's newest event is not written again for 60 minutes (README "Autoscale events").
import { describe, expect, it } from 'vitest';
import { isRepeat } from '../../../src/autoscale/repeated-event.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import { NOW } from './factories.js';

const at = (minutes: number, seconds = 0) => new Date(NOW.getTime() + minutes * 60_000 + seconds * 1_000);
const failed = (o: Partial<ScaleEvent> = {}): ScaleEvent => ({
  pool: 'p', at: NOW, kind: 'evaluation', trigger: 'timer', outcome: 'failed', direction: 'none', reason: 'evaluation failed: boom',
  actedOut: false, actedIn: false, error: { code: 'ARM_UNAVAILABLE', message: 'boom' }, durationMs: 10, ...o,
});
const dryRun = (o: Partial<ScaleEvent> = {}): ScaleEvent => ({
  pool: 'p', at: NOW, kind: 'evaluation', trigger: 'timer', outcome: 'dry-run', direction: 'out', reason: 'scale out',
  plan: { start: ['1'], newCapacity: 2, deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 2, figures: {} as never, warnings: [] },
  actedOut: true, actedIn: false, durationMs: 10, ...o,
});

describe('isRepeat', () => {
  it('repeats the same failure or dry-run plan up to the last second before 60 minutes, not at 60', () => {
    expect(isRepeat(failed({ at: at(59, 59), reason: 'other words' }), failed())).toBe(true);
    expect(isRepeat(failed({ at: at(60) }), failed())).toBe(false);
    expect(isRepeat(dryRun({ at: at(59, 59) }), dryRun())).toBe(true);
    expect(isRepeat(dryRun({ at: at(60) }), dryRun())).toBe(false);
  });

  it('is never a repeat without a newest event, nor for an evaluation that was done', () => {
    expect(isRepeat(failed(), undefined)).toBe(false);
    const done = failed({ outcome: 'done', error: undefined });
    expect(isRepeat({ ...done, at: at(1) }, done)).toBe(false);
  });

  it('writes a failure that took effect in part, scaling out or in', () => {
    expect(isRepeat(failed({ at: at(1), actedOut: true }), failed({ actedOut: true }))).toBe(false);
    expect(isRepeat(failed({ at: at(1), actedIn: true }), failed({ actedIn: true }))).toBe(false);
  });

  it('writes events that carry VMs left drained, this one or the newest', () => {
    expect(isRepeat(failed({ at: at(1), drained: [] }), failed())).toBe(false);
    expect(isRepeat(failed({ at: at(1) }), failed({ drained: ['3'] }))).toBe(false);
  });

  it('writes a failure with another error code, or another plan', () => {
    expect(isRepeat(failed({ at: at(1), error: { code: 'ARM_THROTTLED', message: 'boom' } }), failed())).toBe(false);
    expect(isRepeat(dryRun({ at: at(1), plan: { ...dryRun().plan!, start: ['2'] } }), dryRun())).toBe(false);
  });
});
