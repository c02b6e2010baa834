// Broker errors are values with a stable code, a retry hint where one helps, and the cause kept.
import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../../src/broker/errors.js';

describe('BrokerError', () => {
  it('carries its code, message, retry hint and cause', () => {
    const cause = new Error('412');
    const e = new BrokerError('BROKER_BUSY', 'try again', { cause, retryAfterSeconds: 2 });
    expect(e).toBeInstanceOf(Error);
    expect({ name: e.name, code: e.code, message: e.message, retryAfterSeconds: e.retryAfterSeconds, cause: e.cause }).toEqual({ name: 'BrokerError', code: 'BROKER_BUSY', message: 'try again', retryAfterSeconds: 2, cause });
  });

  it('has no cause and no retry hint when given none', () => {
    const e = new BrokerError('SEAT_CONFLICT', 'someone wrote first');
    expect('cause' in e).toBe(false);
    expect(e.retryAfterSeconds).toBeUndefined();
    expect(e.name).toBe('BrokerError');
  });

  it('has no cause when only a retry hint is given', () => {
    expect('cause' in new BrokerError('BROKER_BUSY', 'busy', { retryAfterSeconds: 1 })).toBe(false);
  });
});
