// Output binding values → queue message texts, as the host writes them.
import { describe, expect, it } from 'vitest';
import { messagesFrom } from '../../../src/local/host/queue-output.js';

describe('messagesFrom', () => {
  it.each([
    [{ string: 'hello' }, ['hello']],
    [{ json: '{"jobId":"j-1"}' }, ['{"jobId":"j-1"}']],
    [{ json: '[{"a":1},"b",3]' }, ['{"a":1}', 'b', '3']],
    [{ bytes: Buffer.from('raw') }, ['raw']],
    [{ int: 7 }, ['7']],
    [{ json: 'null' }, []],
    [undefined, []],
  ])('%j → %j', (data, texts) => {
    expect(messagesFrom(data)).toEqual(texts);
  });
});
