// Continuation tokens of Table Storage pages handed to callers as is (scale events). @azure/data-tables encodes them as
// base64 of JSON `{ nextPartitionKey, nextRowKey? }` (its utils/continuationToken.ts, encodeContinuationToken); a
// token that is not that shape is refused with a 400 instead of reaching the SDK. The keys inside are the service's
// opaque continuation values (Azure's and Azurite's are encoded, not the partition key itself), so only their type
// is checked; the query's own PartitionKey filter keeps a page inside its pool.

/** True when `token` has the shape of a Tables SDK continuation token. */
export function isTablePageToken(token: string): boolean {
  if (token.length === 0 || token.length > 2048 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return false;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { nextPartitionKey?: unknown; nextRowKey?: unknown } | null;
    if (!t || typeof t !== 'object' || Array.isArray(t)) return false;
    const keys = Object.keys(t);
    return typeof t.nextPartitionKey === 'string' && t.nextPartitionKey !== '' && (t.nextRowKey === undefined || typeof t.nextRowKey === 'string') && keys.every((k) => k === 'nextPartitionKey' || k === 'nextRowKey');
  } catch {
    return false;
  }
}
