// Responses in Batch's format: JSON with odata=minimalmetadata, request-id and ETag/Last-Modified headers, and the
// Batch error body `{ "odata.metadata", code, message: { lang, value }, values }`.
import { randomUUID } from 'node:crypto';
import type { EmuResponse } from '../route.js';
import { applySelect } from './batch-wire.js';

const CONTENT_TYPE = 'application/json;odata=minimalmetadata';

export function batchHeaders(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'request-id': randomUUID(), DataServiceVersion: '3.0' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) headers[k] = v;
  return headers;
}

/** The ETag and Last-Modified headers of a record. */
export function versionHeaders(record: { eTag: string; lastModified: number }): Record<string, string> {
  return { ETag: record.eTag, 'Last-Modified': new Date(record.lastModified).toUTCString() };
}

export function batchJson(status: number, body: unknown, headers: Record<string, string | undefined> = {}): EmuResponse {
  return { status, headers: batchHeaders({ 'content-type': CONTENT_TYPE, ...headers }), body };
}

export function batchEmpty(status: number, headers: Record<string, string | undefined> = {}): EmuResponse {
  return { status, headers: batchHeaders(headers) };
}

export function batchErrorBody(baseUrl: string, code: string, message: string, values: { key: string; value: string }[] = []): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    'odata.metadata': `${baseUrl}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`,
    code,
    message: { lang: 'en-US', value: `${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}` },
    ...(values.length ? { values } : {}),
  };
}

export function batchError(baseUrl: string, status: number, code: string, message: string, values: { key: string; value: string }[] = []): EmuResponse {
  return batchJson(status, batchErrorBody(baseUrl, code, message, values));
}

const notFoundCodes = { pool: 'PoolNotFound', job: 'JobNotFound', task: 'TaskNotFound' } as const;

/** Batch's 404 for a pool, job or task id that does not exist (PoolNotFound, JobNotFound, TaskNotFound). */
export function batchNotFound(baseUrl: string, kind: keyof typeof notFoundCodes): EmuResponse {
  return batchError(baseUrl, 404, notFoundCodes[kind], `The specified ${kind} does not exist.`);
}

/** A GET of one entity: its wire form under `odata.metadata` for the entity set, `$select` applied, version headers. */
export function batchElement(
  baseUrl: string,
  entitySet: 'pools' | 'jobs' | 'tasks',
  wire: Record<string, unknown>,
  record: { eTag: string; lastModified: number },
  select: string | null,
): EmuResponse {
  const body = { 'odata.metadata': `${baseUrl}/$metadata#${entitySet}/@Element`, ...wire };
  return batchJson(200, applySelect(body, select), versionHeaders(record));
}
