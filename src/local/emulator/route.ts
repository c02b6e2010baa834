// The shape every emulator API module (compute, monitor, batch, control) plugs into the one HTTPS server with.
/** `entra`: the emulated tenant's public endpoints (no bearer token, never faulted). */
export type ApiFamily = 'arm' | 'monitor-ingest' | 'batch' | 'control' | 'entra';

export interface EmuRequest {
  method: string;
  /** Path with doubled slashes collapsed, without the query string; original case. */
  path: string;
  /** Values of `{name}` segments in the route pattern (decoded). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when empty. */
  body: unknown;
  rawBody: Buffer;
  /** e.g. https://127.0.0.1:7443, for absolute URLs in Azure-AsyncOperation, nextLink, Location. */
  baseUrl: string;
  /** Set by fault injection ('lro-failed'): the long-running operation this call starts must end Failed. */
  lroFailure?: { code: string; message: string };
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string or Buffer. */
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Path template matched case-insensitively, e.g. '/jobs/{jobId}/tasks/{taskId}'. */
  pattern: string;
  /** Stable operation name that fault rules select on, e.g. 'compute.vmss.update', 'batch.task.addCollection'. */
  operation: string;
  family: ApiFamily;
  handle(req: EmuRequest): EmuResponse | Promise<EmuResponse>;
}
