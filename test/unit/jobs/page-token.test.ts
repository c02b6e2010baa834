import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken } from '../../../src/jobs/page-token.js';

describe('page tokens', () => {
  it('round-trip a position for the same query', () => {
    const t = encodePageToken('j-8235648123456-abc123', { user: 'ann', state: 'queued' });
    expect(decodePageToken(t, { user: 'ann', state: 'queued' })).toBe('j-8235648123456-abc123');
  });

  it.each([
    [{ user: 'bob', state: 'queued' }],
    [{ user: 'ann' }],
    [{ user: 'ann', state: 'queued', pool: 'gpu' }],
  ])('are refused for another query %j', (scope) => {
    const t = encodePageToken('j-1', { user: 'ann', state: 'queued' });
    expect(decodePageToken(t, scope)).toBeUndefined();
  });

  it.each(['', 'garbage', Buffer.from('{"v":1,"a":"x y","s":"0"}').toString('base64url')])('reject malformed token %j', (t) => {
    expect(decodePageToken(t, {})).toBeUndefined();
  });
});
