// The host's HTTP front end: `/{routePrefix}/{route}` to HTTP-triggered functions (404 unknown route,
// 405 wrong method, authLevel keys), the admin API `POST /admin/functions/{name}` for other triggers, and, when
// configured, App Service authentication's `/.auth/*` routes and principal headers (platform-auth.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredFunction } from './core-api.js';
import { isAuthorized, presentedKey, type FunctionKeys } from './function-keys.js';
import { fromRpcHttpResponse, toRpcHttpRequest } from './http-mapping.js';
import type { PlatformAuth } from './platform-auth.js';
import type { Invoker } from './invoker.js';
import { byPrecedence, compileRoute, type RouteTemplate } from './route-template.js';
import { triggerBinding } from './trigger-binding.js';

interface HttpFunction {
  fn: RegisteredFunction;
  route: RouteTemplate;
  methods: Set<string>;
  authLevel: string;
  bindingName: string;
}

export interface HttpFrontOptions {
  functions: RegisteredFunction[];
  routePrefix: string;
  invoker: Invoker;
  keys: FunctionKeys | undefined;
  /** Runs a non-HTTP function with the admin API's `input`. */
  invokeNonHttp(name: string, input: unknown): Promise<void>;
  isStopping(): boolean;
  /** App Service authentication in front of the app (/.auth/* routes, principal headers); none = off. */
  platformAuth?: PlatformAuth;
}

const MAX_BODY_BYTES = 100 * 1024 * 1024;

export function httpFunctions(functions: RegisteredFunction[]): HttpFunction[] {
  return functions.flatMap((fn) => {
    const { name: bindingName, binding } = triggerBinding(fn);
    if (binding.type?.toLowerCase() !== 'httptrigger') return [];
    const methods = (binding.methods as string[] | undefined) ?? [];
    return [
      {
        fn,
        route: compileRoute((binding.route as string | undefined) ?? fn.metadata.name),
        methods: new Set(methods.map((m) => m.toUpperCase())),
        authLevel: (binding.authLevel as string | undefined) ?? 'function',
        bindingName,
      },
    ];
  });
}

export function createHttpFront(o: HttpFrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = httpFunctions(o.functions).sort((a, b) => byPrecedence(a.route, b.route));
  const prefix = o.routePrefix ? `/${o.routePrefix}` : '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const path = url.pathname;
    if (o.isStopping()) return send(res, 503, 'The host is shutting down.', { connection: 'close' });
    if (path.toLowerCase().startsWith('/admin/')) return admin(req, res, url);
    if (o.platformAuth && path.toLowerCase().startsWith('/.auth/')) {
      if (!(await o.platformAuth.handle(req, res, url, await readBody(req)))) send(res, 404, '');
      return;
    }
    if (path === '/' && prefix !== '') return send(res, 200, 'The dsvm-pool local Functions host is running.');
    const lower = path.toLowerCase();
    if (prefix && lower !== prefix && !lower.startsWith(`${prefix}/`)) return send(res, 404, '');
    const routePath = path.slice(prefix.length);
    const matches = routes.flatMap((r) => {
      const params = r.route.match(routePath);
      return params ? [{ r, params }] : [];
    });
    if (matches.length === 0) return send(res, 404, '');
    const method = (req.method ?? 'GET').toUpperCase();
    const hit = matches.find(({ r }) => r.methods.size === 0 || r.methods.has(method));
    if (!hit) {
      const allow = [...new Set(matches.flatMap(({ r }) => [...r.methods]))].join(', ');
      return send(res, 405, '', { allow });
    }
    if (!isAuthorized(hit.r.authLevel, presentedKey(url, req.headers), o.keys)) return send(res, 401, '');
    const body = await readBody(req);
    const http = toRpcHttpRequest(req, url, body, hit.params);
    o.platformAuth?.rewrite(http.headers as Record<string, string>);
    const outcome = await o.invoker.invoke(hit.r.fn, 'http', { inputData: [{ name: hit.r.bindingName, data: { http } }] });
    if (!outcome.ok) return send(res, 500, '');
    const response = fromRpcHttpResponse(outcome.response.returnValue);
    res.statusCode = response.status;
    const grouped = new Map<string, string[]>();
    for (const [k, v] of response.headers) grouped.set(k, [...(grouped.get(k) ?? []), v]);
    for (const [k, v] of grouped) res.setHeader(k, v.length === 1 ? v[0]! : v);
    res.end(method === 'HEAD' ? undefined : response.body);
  };

  const admin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const adminAllowed = isAuthorized('admin', presentedKey(url, req.headers), o.keys);
    const m = /^\/admin\/functions\/([^/]+)\/?$/i.exec(url.pathname);
    if (/^\/admin\/host\/status\/?$/i.test(url.pathname) && req.method === 'GET') {
      return send(res, 200, JSON.stringify({ state: 'Running' }), { 'content-type': 'application/json' });
    }
    if (!m) return send(res, 404, '');
    if (!adminAllowed) return send(res, 401, '');
    const name = decodeURIComponent(m[1]!);
    const fn = o.functions.find((f) => f.metadata.name.toLowerCase() === name.toLowerCase());
    if (!fn) return send(res, 404, '');
    if (req.method !== 'POST') return send(res, 405, '', { allow: 'POST' });
    let input: unknown;
    try {
      const text = (await readBody(req)).toString('utf8');
      input = text ? (JSON.parse(text) as { input?: unknown }).input : undefined;
    } catch {
      return send(res, 400, 'The body must be JSON: {"input": "..."}');
    }
    if (triggerBinding(fn).binding.type?.toLowerCase() === 'httptrigger') {
      return send(res, 400, `"${fn.metadata.name}" is an HTTP function; call its route instead.`);
    }
    // Accepted and run in the background, like the host's admin API.
    void o.invokeNonHttp(fn.metadata.name, input).catch(() => undefined);
    return send(res, 202, '');
  };

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, (err as { status?: number }).status ?? 500, '');
      else res.destroy();
    });
  };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('Request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
