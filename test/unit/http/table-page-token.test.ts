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
    ['2,048 characters, the longest read', tokenOf({ nextPartitionKey: 'x'.repeat(1513) }), true],
    ['2,052 characters', tokenOf({ nextPartitionKey: 'x'.repeat(1516) }), false],
    ['an empty partition key', tokenOf({ nextPartitionKey: '' }), false],
    ['a row key that is not a string', tokenOf({ nextPartitionKey: 'gpu', nextRowKey: 1 }), false],
    ['a null row key', tokenOf({ nextPartitionKey: 'gpu', nextRowKey: null }), false],
    ['only a row key', tokenOf({ nextRowKey: 'r' }), false],
    ['base64url', Buffer.from(JSON.stringify({ nextPartitionKey: '>>>?' })).toString('base64url'), true],
    ['two padding characters', tokenOf({ nextPartitionKey: 'gp' }), true],
    ['three padding characters', tokenOf({ nextPartitionKey: 'gp' }) + '=', false],
    ['padding in the middle', 'eyJ=eyJ', false],
    ['a valid token after characters outside base64', '%' + tokenOf({ nextPartitionKey: 'gpu' }), false],
    ['base64 of a JSON string', tokenOf('gpu'), false],
  ])('%s → %s', (_what, token, ok) => {
    expect(isTablePageToken(token)).toBe(ok);
  });
});
