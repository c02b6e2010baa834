// The emulator's one HTTPS server: authenticates, collapses doubled slashes, routes to the API modules, counts calls
// per operation and applies fault rules generically (error bodies in each API family's shape).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ARM_AUTH_CHALLENGE, defaultErrorCode, errorResponse, throttledResponse } from './error-body.js';
import type { FaultInjector } from './faults.js';
import type { EmuRequest, EmuResponse, Route } from './route.js';
import { Router } from './router.js';
import type { EmulatorCertificate } from './certificate.js';

export interface EmulatorServerOptions {
  certificate: EmulatorCertificate;
  port: number;
  routes: () => readonly Route[];
  faults: FaultInjector;
  onCall(operation: string): void;
  log?: (line: string) => void;
}

export interface EmulatorServer {
  url: string;
  /** Call after the route set changed (e.g. once the Batch module is mounted). */
  reroute(): void;
  close(): Promise<void>;
}

export async function startEmulatorServer(o: EmulatorServerOptions): Promise<EmulatorServer> {
  let router = new Router(o.routes());
  let baseUrl = '';
  const server: Server = createServer({ key: o.certificate.key, cert: o.certificate.cert }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.log?.(`emulator: ${req.method} ${req.url} failed: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) send(res, errorResponse('arm', 500, 'InternalServerError', `Emulator error: ${e instanceof Error ? e.message : String(e)}`));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = (q < 0 ? rawUrl : rawUrl.slice(0, q)).replace(/\/{2,}/g, '/');
    const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const method = (req.method ?? 'GET').toUpperCase();
    const match = router.match(method, path);
    const family = match?.route.family ?? (path.startsWith('/_emulator/') ? 'control' : path.startsWith('/subscriptions/') ? 'arm' : 'batch');
    const auth = req.headers.authorization;
    const open = family === 'control' || family === 'entra';
    if (!open && !(typeof auth === 'string' && /^Bearer\s+\S+/i.test(auth))) {
      const challenge: Record<string, string> = family === 'batch' ? {} : { 'www-authenticate': ARM_AUTH_CHALLENGE };
      return send(res, errorResponse(family, 401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing or is not a Bearer token.', challenge), req);
    }
    if (!match) {
      const status = router.hasPath(path) ? 405 : 404;
      return send(res, errorResponse(family, status, status === 405 ? 'MethodNotAllowed' : 'NotFound', `The emulator has no ${status === 405 ? `${method} operation on` : 'resource at'} ${path}.`), req);
    }
    const operation = match.route.operation;
    o.onCall(operation);
    // The control API is never faulted, so a '*' rule can still be removed over HTTP; nor is the token issuer, so a
    // '*' rule aimed at Azure does not also lock every caller out of the app.
    const plan = open ? { latencyInMs: 0 } : o.faults.plan(operation);
    if (plan.latencyInMs > 0) await sleep(plan.latencyInMs);
    const fault = plan.terminal;
    if (fault?.kind === 'drop') return void req.socket.destroy();
    if (fault?.kind === 'status') {
      const status = fault.status!;
      const headers: Record<string, string> = {};
      if (status === 429 || status === 503) {
        const seconds = fault.retryAfterSeconds ?? 1;
        headers['retry-after'] = String(Math.ceil(seconds));
        headers['retry-after-ms'] = String(Math.round(seconds * 1000));
      }
      const message = fault.message ?? `Injected fault: ${status} on ${operation}.`;
      if (status === 429 && !fault.code) return send(res, throttledResponse(family, operation, message, headers), req);
      return send(res, errorResponse(family, status, fault.code ?? defaultErrorCode(family, status), message, headers), req);
    }
    let body: unknown;
    const form = /^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''));
    if (rawBody.length > 0 && !form) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return send(res, errorResponse(family, 400, family === 'batch' ? 'InvalidRequestBody' : 'InvalidRequestContent', 'The request content was invalid and could not be deserialized as JSON.'), req);
      }
    }
    const emuReq: EmuRequest = { method, path, params: match.params, query, headers: req.headers, body, rawBody, baseUrl };
    if (fault?.kind === 'lro-failed') emuReq.lroFailure = { code: fault.code ?? 'InternalExecutionError', message: fault.message ?? `Injected fault: the long-running ${operation} failed.` };
    send(res, await match.route.handle(emuReq), req);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    reroute: () => (router = new Router(o.routes())),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: EmuResponse, req?: IncomingMessage): void {
  const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...r.headers };
  const clientRequestId = req?.headers['x-ms-client-request-id'] ?? req?.headers['client-request-id'];
  if (typeof clientRequestId === 'string') {
    headers['x-ms-correlation-request-id'] ??= clientRequestId;
    headers['client-request-id'] ??= clientRequestId;
  }
  // ARM returns a correlation id on every response, whether or not the client sent a request id.
  headers['x-ms-correlation-request-id'] ??= randomUUID();
  let payload: Buffer | undefined;
  if (r.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(r.body)) payload = r.body;
  else if (typeof r.body === 'string') payload = Buffer.from(r.body);
  else {
    payload = Buffer.from(JSON.stringify(r.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload?.length ?? 0);
  res.writeHead(r.status, headers);
  res.end(payload);
}
