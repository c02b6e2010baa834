// AutoscaleError keeps the error it wraps (for logs), and errorCodeOf gives any thrown value a stable code.
import { describe, expect, it } from 'vitest';
import { AutoscaleError, errorCodeOf } from '../../../src/autoscale/errors.js';

describe('AutoscaleError', () => {
  it('keeps the cause it wraps, and has none when given none', () => {
    const cause = new Error('socket hang up');
    expect(new AutoscaleError('ARM_ERROR', 'ARM call failed', { cause }).cause).toBe(cause);
    expect('cause' in new AutoscaleError('ARM_ERROR', 'ARM call failed')).toBe(false);
  });
});

describe('errorCodeOf', () => {
  it('reads the code of an error that has one, and INTERNAL for anything else', () => {
    expect(errorCodeOf(new AutoscaleError('ARM_TIMEOUT', 'gave up'))).toBe('ARM_TIMEOUT');
    expect(errorCodeOf(new Error('x is undefined'))).toBe('INTERNAL');
    expect(errorCodeOf({ code: 404 })).toBe('INTERNAL');
    expect(errorCodeOf(undefined)).toBe('INTERNAL');
  });
});
