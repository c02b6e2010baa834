// The CLI's only way to the app: HTTP to {endpoint}/api with a bearer token. A problem+json answer becomes an
// ApiError carrying the status, the stable code, the detail and the field errors, never a stack trace.
import type { CliSettings } from './settings.js';
import { bearerToken } from './token.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { field: string; message: string }[] = [],
    /** The answer's Retry-After, in seconds, when it had one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

export interface ApiClient {
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
}

export function apiClient(settings: CliSettings): ApiClient {
  let token: Promise<string | undefined> | undefined;
  return {
    async call(method, path, body, headers = {}) {
      token ??= bearerToken(settings);
      const t = await token;
      let res: Response;
      try {
        res = await fetch(`${settings.endpoint}/api${path}`, {
          method,
          redirect: 'manual',
          headers: { accept: 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new ApiError(0, 'UNREACHABLE', `cannot reach ${settings.endpoint}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (an HTML page)
      }
      if (res.status >= 400) {
        const p = (parsed && typeof parsed === 'object' ? parsed : {}) as { code?: string; detail?: string; title?: string; message?: string; errors?: { field: string; message: string }[] };
        const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
        throw new ApiError(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? p.message ?? p.title ?? `the app answered ${res.status}`, p.errors ?? [], Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined);
      }
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
  };
}
