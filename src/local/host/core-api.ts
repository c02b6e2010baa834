// The `@azure/functions-core` module, as the Azure Functions Node worker provides it: `@azure/functions` calls
// registerFunction/setProgrammingModel/registerHook on it. Only the part of its typings the host uses is declared here.
import Module from 'node:module';

export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';

export interface RpcBindingInfo {
  type?: string | null;
  direction?: 'in' | 'out' | 'inout' | null;
  [property: string]: unknown;
}

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: { value?: string | null } | null;
  path?: { value?: string | null } | null;
  expires?: { value?: { seconds?: number | null; nanos?: number | null } | null } | null;
  secure?: { value?: boolean | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone' | null;
  maxAge?: { value?: number | null } | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  statusCode?: string | null;
  query?: Record<string, string> | null;
  cookies?: RpcHttpCookie[] | null;
  enableContentNegotiation?: boolean | null;
}

export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
}

export interface RpcParameterBinding {
  name?: string | null;
  data?: RpcTypedData | null;
}

export interface RpcInvocationRequest {
  invocationId?: string | null;
  functionId?: string | null;
  inputData?: RpcParameterBinding[] | null;
  triggerMetadata?: Record<string, RpcTypedData> | null;
  traceContext?: { traceParent?: string | null; traceState?: string | null; attributes?: Record<string, string> } | null;
  retryContext?: { retryCount?: number | null; maxRetryCount?: number | null } | null;
}

export interface RpcInvocationResponse {
  invocationId?: string | null;
  outputData?: RpcParameterBinding[] | null;
  returnValue?: RpcTypedData | null;
}

export interface RpcFunctionMetadata {
  name?: string | null;
  functionId?: string | null;
  bindings?: Record<string, RpcBindingInfo> | null;
  [property: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type InvocationState = 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: RpcFunctionMetadata;
  state?: InvocationState;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type HookCallback = (context: Record<string, unknown>) => void | Promise<void>;

/** What `registerFunction` received: the library's own metadata and the user's handler. */
export interface RegisteredFunction {
  functionId: string;
  metadata: RpcFunctionMetadata & { name: string; bindings: Record<string, RpcBindingInfo> };
  callback: FunctionCallback;
}

export class Disposable {
  #callOnDispose: (() => unknown) | undefined;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  static from(...items: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.#callOnDispose?.();
    this.#callOnDispose = undefined;
  }
}

/** The worker-side state the core module writes into: registrations, hooks, the programming model. */
export class WorkerApp {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<string, HookCallback[]>();
  readonly appHookData: Record<string, unknown> = {};
  readonly appLevelOnlyHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;
  /** Registrations are accepted only while entry files load, as in the worker. */
  loading = false;
  private nextId = 1;

  constructor(private readonly systemLog: (level: RpcLogLevel, message: string) => void) {}

  coreApi(): Record<string, unknown> {
    return {
      version: '3.12.0-dsvm-pool-local',
      hostVersion: '4.1000.0-dsvm-pool-local',
      registerFunction: (metadata: RpcFunctionMetadata, callback: FunctionCallback) => this.register(metadata, callback),
      registerHook: (hookName: string, callback: HookCallback) => {
        const list = this.hooks.get(hookName) ?? [];
        list.push(callback);
        this.hooks.set(hookName, list);
        return new Disposable(() => list.splice(list.indexOf(callback), 1));
      },
      setProgrammingModel: (model: ProgrammingModel) => {
        this.programmingModel = model;
        this.systemLog('information', `Setting Node.js programming model to "${model.name}" version "${model.version}"`);
      },
      getProgrammingModel: () => this.programmingModel,
      log: (level: RpcLogLevel, _category: RpcLogCategory, message: string) => this.systemLog(level, message),
      Disposable,
    };
  }

  private register(metadata: RpcFunctionMetadata, callback: FunctionCallback): Disposable {
    if (!this.loading) {
      throw new Error('A function can only be registered during app startup.');
    }
    const name = metadata.name;
    if (!name) throw new Error('A function registration is missing its name.');
    if (!metadata.bindings) throw new Error(`Function "${name}" has no bindings.`);
    if ([...this.functions.values()].some((f) => f.metadata.name.toLowerCase() === name.toLowerCase())) {
      throw new Error(`A function with the name "${name}" has already been registered.`);
    }
    const functionId = String(this.nextId++);
    this.functions.set(functionId, {
      functionId,
      metadata: { ...metadata, name, functionId, bindings: metadata.bindings },
      callback,
    });
    return new Disposable(() => this.functions.delete(functionId));
  }

  async runHooks(hookName: string, context: Record<string, unknown>): Promise<void> {
    for (const hook of [...(this.hooks.get(hookName) ?? [])]) await hook(context);
  }
}

const installed = Symbol.for('dsvm-pool.local-host.core-module');
type ModuleInternals = typeof Module & {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};

/**
 * Puts `@azure/functions-core` behind `require`, the way the worker does. Must run before `@azure/functions` is
 * first loaded: the library looks the module up once and, if missing, stays in "test mode" for the process.
 */
export function installCoreModule(app: WorkerApp): void {
  const g = globalThis as typeof globalThis & { [installed]?: WorkerApp };
  if (g[installed]) throw new Error('The local Functions host supports one app per process.');
  g[installed] = app;
  const coreApi = app.coreApi();
  const moduleId = '@azure/functions-core';
  const internals = Module as ModuleInternals;
  // Both CommonJS entry points lead here: Module.prototype.require (what the worker patches) and a resolve +
  // cache lookup, which also covers `require` functions Node builds for CommonJS modules imported from ESM.
  const originalResolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === moduleId ? moduleId : originalResolve.call(this, request, ...rest);
  };
  const fake = new Module(moduleId);
  fake.exports = coreApi;
  fake.loaded = true;
  internals._cache[moduleId] = fake;
  const originalRequire = Module.prototype.require;
  Module.prototype.require = new Proxy(originalRequire, {
    apply(target, thisArg, args: [string]) {
      return args[0] === moduleId ? coreApi : Reflect.apply(target, thisArg, args);
    },
  });
}
