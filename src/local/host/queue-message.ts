// A queue message as the host hands it to the worker: the text decoded per host.json messageEncoding (the
// programming model then parses it as JSON when it can, else passes the string) and the trigger metadata.
import { randomUUID } from 'node:crypto';
import type { RpcTypedData } from './core-api.js';

export interface QueueMessage {
  messageId: string;
  popReceipt: string;
  messageText: string;
  dequeueCount: number;
  insertedOn: Date;
  expiresOn: Date;
  nextVisibleOn: Date;
}

export type DecodedMessage = { ok: true; text: string } | { ok: false; reason: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeMessage(text: string, encoding: 'base64' | 'none'): DecodedMessage {
  if (encoding === 'none') return { ok: true, text };
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    return { ok: false, reason: 'the message is not valid base64 (host.json extensions.queues.messageEncoding is "base64")' };
  }
  return { ok: true, text: Buffer.from(compact, 'base64').toString('utf8') };
}

export function encodeMessage(text: string, encoding: 'base64' | 'none'): string {
  return encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
}

/** The keys the host sends (PascalCase; the programming model camel-cases them into context.triggerMetadata). */
export function queueTriggerMetadata(m: QueueMessage, decodedText: string, functionName: string, now: Date): Record<string, RpcTypedData> {
  return {
    QueueTrigger: { string: decodedText },
    DequeueCount: { int: m.dequeueCount },
    ExpirationTime: { string: m.expiresOn.toISOString() },
    Id: { string: m.messageId },
    InsertionTime: { string: m.insertedOn.toISOString() },
    NextVisibleTime: { string: m.nextVisibleOn.toISOString() },
    PopReceipt: { string: m.popReceipt },
    sys: { json: JSON.stringify({ MethodName: functionName, UtcNow: now.toISOString(), RandGuid: randomUUID() }) },
  };
}
