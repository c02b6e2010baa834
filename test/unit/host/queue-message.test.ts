// Queue message decoding and trigger metadata, as the host hands them to the worker.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, queueTriggerMetadata } from '../../../src/local/host/queue-message.js';

describe('decodeMessage', () => {
  it('decodes base64 UTF-8 text', () => {
    expect(decodeMessage(Buffer.from('{"jobId":"é"}').toString('base64'), 'base64')).toEqual({ ok: true, text: '{"jobId":"é"}' });
  });

  it('refuses text that is not base64, saying why', () => {
    expect(decodeMessage('{"jobId":"1"}', 'base64')).toEqual({ ok: false, reason: expect.stringMatching(/not valid base64/) });
  });

  it('passes text through with messageEncoding none', () => {
    expect(decodeMessage('{"a":1}', 'none')).toEqual({ ok: true, text: '{"a":1}' });
  });

  it('round-trips with encodeMessage', () => {
    const text = JSON.stringify({ jobId: 'j-1', note: 'ünïcode' });
    expect(decodeMessage(encodeMessage(text, 'base64'), 'base64')).toEqual({ ok: true, text });
  });
});

describe('queueTriggerMetadata', () => {
  it('carries the message properties under the host names', () => {
    const m = {
      messageId: 'id-1',
      popReceipt: 'pr',
      messageText: 'eyJhIjoxfQ==',
      dequeueCount: 3,
      insertedOn: new Date('2026-01-01T00:00:00Z'),
      expiresOn: new Date('2026-01-08T00:00:00Z'),
      nextVisibleOn: new Date('2026-01-01T00:10:00Z'),
    };
    const meta = queueTriggerMetadata(m, '{"a":1}', 'dispatch', new Date('2026-01-01T00:00:01Z'));
    expect(meta).toMatchObject({
      Id: { string: 'id-1' },
      DequeueCount: { int: 3 },
      InsertionTime: { string: '2026-01-01T00:00:00.000Z' },
      ExpirationTime: { string: '2026-01-08T00:00:00.000Z' },
      NextVisibleTime: { string: '2026-01-01T00:10:00.000Z' },
      PopReceipt: { string: 'pr' },
      QueueTrigger: { string: '{"a":1}' },
    });
    expect(JSON.parse(meta.sys!.json!)).toMatchObject({ MethodName: 'dispatch', UtcNow: '2026-01-01T00:00:01.000Z' });
  });
});
