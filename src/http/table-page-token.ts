// Continuation tokens of Table Storage pages handed to callers as is (scale events). @azure/data-tables encodes them as
// base64 of JSON `{ nextPartitionKey, nextRowKey? }` (its utils/continuationToken.ts, encodeContinuationToken); a
// token that is not that shape, or points into another partition, is refused with a 400 instead of reaching the SDK.

/** True when `token` is a Tables SDK continuation token for a page of partition `partitionKey`. */
export function isTablePageToken(token: string, partitionKey: string): boolean {
  if (token.length === 0 || token.length > 2048 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return false;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { nextPartitionKey?: unknown; nextRowKey?: unknown } | null;
    if (!t || typeof t !== 'object' || Array.isArray(t)) return false;
    const keys = Object.keys(t);
    return t.nextPartitionKey === partitionKey && (t.nextRowKey === undefined || typeof t.nextRowKey === 'string') && keys.every((k) => k === 'nextPartitionKey' || k === 'nextRowKey');
  } catch {
    return false;
  }
}
