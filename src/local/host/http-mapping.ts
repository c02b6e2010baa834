// Conversions between Node's HTTP messages and the RPC shapes the Functions host exchanges with the worker.
import type { IncomingMessage } from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from './core-api.js';

export interface HttpResponseParts {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** The request as the host sends it to the worker: headers and query as maps (repeated values comma-joined). */
export function toRpcHttpRequest(req: IncomingMessage, url: URL, body: Buffer, params: Record<string, string>): RpcHttpData {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  return {
    method: req.method ?? 'GET',
    url: url.href,
    headers,
    query,
    params,
    body: body.length > 0 ? { bytes: body } : null,
  };
}

/** The worker's return value for an HTTP function → status, headers (Set-Cookie included) and body. */
export function fromRpcHttpResponse(returnValue: RpcTypedData | null | undefined): HttpResponseParts {
  const http = returnValue?.http;
  if (!http) {
    // The handler returned nothing: nothing to send but the status.
    return { status: 204, headers: [], body: Buffer.alloc(0) };
  }
  const status = http.statusCode ? Number(http.statusCode) : 200;
  const headers: [string, string][] = Object.entries(http.headers ?? {}).map(([k, v]) => [k, v]);
  for (const c of http.cookies ?? []) headers.push(['set-cookie', serializeCookie(c)]);
  return { status: Number.isInteger(status) ? status : 500, headers, body: typedDataToBuffer(http.body) };
}

export function typedDataToBuffer(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.string != null) return Buffer.from(data.string);
  if (data.json != null) return Buffer.from(data.json);
  if (data.int != null) return Buffer.from(String(data.int));
  if (data.double != null) return Buffer.from(String(data.double));
  return Buffer.alloc(0);
}

export function serializeCookie(c: RpcHttpCookie): string {
  const parts = [`${c.name ?? ''}=${c.value ?? ''}`];
  if (c.domain?.value) parts.push(`Domain=${c.domain.value}`);
  if (c.path?.value) parts.push(`Path=${c.path.value}`);
  const expires = c.expires?.value;
  if (expires?.seconds != null) {
    parts.push(`Expires=${new Date(Number(expires.seconds) * 1000 + Math.floor((expires.nanos ?? 0) / 1e6)).toUTCString()}`);
  }
  if (c.maxAge?.value != null) parts.push(`Max-Age=${Math.floor(c.maxAge.value)}`);
  if (c.secure?.value) parts.push('Secure');
  if (c.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[c.sameSite ?? 'none'];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}
