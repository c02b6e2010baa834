// Batch list answers: $filter, $select, maxresults (≤ 1,000) and an absolute `odata.nextLink` that carries every
// query parameter plus a $skiptoken (the last id returned), so a client can follow it as given.
import type { EmuRequest, EmuResponse } from '../route.js';
import { batchError, batchJson } from './batch-response.js';
import { applySelect } from './batch-wire.js';
import { ODataFilterError, parseODataFilter } from './odata-filter.js';

const MAX_RESULTS = 1000;

export function listResponse(req: EmuRequest, items: Record<string, unknown>[], metadataName: string): EmuResponse {
  const filter = req.query.get('$filter');
  const select = req.query.get('$select');
  const maxParam = req.query.get('maxresults');
  const maxResults = maxParam === null ? MAX_RESULTS : Number(maxParam);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    return batchError(req.baseUrl, 400, 'InvalidQueryParameterValue', `maxresults must be a whole number from 1 to ${MAX_RESULTS}.`, [
      { key: 'QueryParameterName', value: 'maxresults' },
      { key: 'QueryParameterValue', value: String(maxParam) },
    ]);
  }
  let predicate: ((x: Record<string, unknown>) => boolean) | undefined;
  try {
    predicate = filter ? parseODataFilter(filter) : undefined;
  } catch (e) {
    if (!(e instanceof ODataFilterError)) throw e;
    return batchError(req.baseUrl, 400, 'InvalidQueryParameterValue', e.message, [
      { key: 'QueryParameterName', value: '$filter' },
      { key: 'QueryParameterValue', value: filter ?? '' },
    ]);
  }
  const key = (x: Record<string, unknown>): string => String(x.id).toLowerCase();
  const skipToken = req.query.get('$skiptoken')?.toLowerCase();
  const matching = items
    .filter((x) => (skipToken === undefined ? true : key(x) > skipToken))
    .filter((x) => (predicate ? predicate(x) : true))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const page = matching.slice(0, maxResults);
  const body: Record<string, unknown> = {
    'odata.metadata': `${req.baseUrl}/$metadata#${metadataName}`,
    value: page.map((x) => applySelect(x, select)),
  };
  if (matching.length > maxResults) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', key(page[page.length - 1]!));
    body['odata.nextLink'] = `${req.baseUrl}${req.path}?${next.toString()}`;
  }
  return batchJson(200, body);
}
