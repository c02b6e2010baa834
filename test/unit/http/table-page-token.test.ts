import { describe, expect, it } from 'vitest';
import { isTablePageToken } from '../../../src/http/table-page-token.js';

// The shape @azure/data-tables gives its continuation tokens: base64 of JSON { nextPartitionKey, nextRowKey? }.
const tokenOf = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');

describe('table page tokens', () => {
  it.each([
    ['a token of this partition', tokenOf({ nextPartitionKey: 'gpu', nextRowKey: '0000123' }), true],
    ['a token without a row key', tokenOf({ nextPartitionKey: 'gpu' }), true],
    ['a token with the service opaque keys', tokenOf({ nextPartitionKey: '1!8!cGFnZWQ-', nextRowKey: '1!48!MjUzNw--' }), true],
    ['a token whose key is not a string', tokenOf({ nextPartitionKey: 5 }), false],
    ['garbage', 'garbage', false],
    ['base64 of a JSON of another shape', tokenOf({ a: 1 }), false],
    ['base64 of an array', tokenOf([1]), false],
    ['base64 of null', tokenOf(null), false],
    ['extra fields', tokenOf({ nextPartitionKey: 'gpu', evil: true }), false],
    ['a NUL', '\u0000', false],
    ['empty', '', false],
    ['too long', 'A'.repeat(5000), false],
  ])('%s → %s', (_what, token, ok) => {
    expect(isTablePageToken(token)).toBe(ok);
  });
});
