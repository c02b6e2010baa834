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

  it('keep their format, so a token handed out before a deploy still decodes after it', () => {
    // {"v":1,"a":"j-1","s":"6de84ad410d42007"}: s is 16 hex chars of sha256 of ["ann","queued","gpu"].
    const issued = 'eyJ2IjoxLCJhIjoiai0xIiwicyI6IjZkZTg0YWQ0MTBkNDIwMDcifQ';
    expect(encodePageToken('j-1', { user: 'ann', state: 'queued', pool: 'gpu' })).toBe(issued);
    expect(decodePageToken(issued, { user: 'ann', state: 'queued', pool: 'gpu' })).toBe('j-1');
  });

  it.each([
    ['state', { user: 'ann', state: 'queued' }, { user: 'ann', state: 'running' }],
    ['pool', { user: 'ann', pool: 'gpu' }, { user: 'ann', pool: 'cpu' }],
  ])('are refused for another %s', (_, issuedFor, scope) => {
    const t = encodePageToken('j-1', issuedFor);
    expect(decodePageToken(t, issuedFor)).toBe('j-1');
    expect(decodePageToken(t, scope)).toBeUndefined();
  });

  it('treat a filter that is absent and one that is empty as the same query', () => {
    expect(decodePageToken(encodePageToken('j-1', { user: 'ann' }), { user: 'ann', state: '', pool: '' })).toBe('j-1');
  });

  /** A token for the empty scope (s = 16 hex chars of sha256 of ["","",""]) with the given version and position. */
  const tokenOf = (v: unknown, a: unknown) => Buffer.from(JSON.stringify({ v, a, s: '799c55d702efedb7' })).toString('base64url');

  it.each([
    ['version 2', tokenOf(2, 'j-1')],
    ['a position that is a number', tokenOf(1, 12345)],
    ['a position with a space', tokenOf(1, 'x y')],
    ['a position with an upper-case letter at the start', tokenOf(1, 'Xy')],
    ['a position with an upper-case letter at the end', tokenOf(1, 'xY')],
    ['an empty position', tokenOf(1, '')],
    ['a position of 81 characters', tokenOf(1, 'a'.repeat(81))],
  ])('reject a token of the right query with %s', (_, t) => {
    expect(decodePageToken(t, {})).toBeUndefined();
  });

  it('accept a position of 80 characters', () => {
    expect(decodePageToken(tokenOf(1, 'a'.repeat(80)), {})).toBe('a'.repeat(80));
  });
});
