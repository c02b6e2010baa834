// The local Azure Functions host: loads the app the way the Node worker does (src/local/host/core-api.ts,
// app-loader.ts) and drives its HTTP, timer and queue triggers with the host's semantics from host.json.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { loadApp } from './app-loader.js';
import { installCoreModule, WorkerApp, type RegisteredFunction, type RpcTypedData } from './core-api.js';
import { keysFromSettings, type FunctionKeys } from './function-keys.js';
import { HostStartError } from './errors.js';
import { readHostJson } from './host-json.js';
import { HostLog } from './host-log.js';
import { createHttpFront } from './http-front.js';
import { createPlatformAuth, type PlatformAuthOptions } from './platform-auth.js';
import { Invoker } from './invoker.js';
import { queueClientsFor } from './queue-connection.js';
import { isQueueOutput, QueueOutputs } from './queue-output.js';
import { QueueTrigger } from './queue-trigger.js';
import { parseSchedule, resolveSettings } from './timer-schedule.js';
import { TimerTrigger } from './timer-trigger.js';
import { triggerBinding, triggerKind } from './trigger-binding.js';

export { FunctionTimeoutError, HostStartError } from './errors.js';

export interface HostOptions {
  appRoot: string;
  port?: number;
  env?: Record<string, string>;
  timers?: 'schedule' | 'manual';
  log?: (line: string) => void;
  /** Interface to listen on; default 127.0.0.1. */
  hostname?: string;
  /** Function/master keys; default from DSVMPOOL_LOCAL_FUNCTION_KEY / DSVMPOOL_LOCAL_ADMIN_KEY; none = open. */
  keys?: FunctionKeys;
  /** How long stop() waits for in-flight invocations; default 10 s. */
  shutdownTimeoutInMs?: number;
  /**
   * Play App Service authentication in front of the app, signing browsers in with this Entra tenant (the emulator's
   * locally); the app then runs with WEBSITE_AUTH_ENABLED=true, as the platform sets it. Without it the variable is
   * unset and x-ms-client-principal reaches the app as the client sent it, as on App Service with authentication off.
   */
  platformAuth?: PlatformAuthOptions;
}

export interface RunningHost {
  url: string;
  /** Every registered function; HTTP ones with their route template (no routePrefix) and methods, as registered. */
  functions: { name: string; trigger: string; route?: string; methods?: string[] }[];
  /** How long each entry file took to load (for the start-up benchmark). */
  entryLoadMs: { file: string; loadMs: number }[];
  runTimer(name: string): Promise<void>;
  invoke(name: string, input?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const appRoot = resolve(options.appRoot);
  const log = new HostLog(options.log ?? ((line) => console.log(line)));
  if (options.env) Object.assign(process.env, options.env);
  if (options.platformAuth) process.env.WEBSITE_AUTH_ENABLED = 'true';
  else delete process.env.WEBSITE_AUTH_ENABLED;
  const hostJson = readHostJson(appRoot);
  const { app, entryLoadMs } = await loadOnce(appRoot, log);
  log.host('information', `Loaded ${entryLoadMs.length} entry file(s)`, { files: entryLoadMs.map((e) => e.file) });
  const capabilities = (await app.programmingModel?.getCapabilities?.({})) ?? {};
  if (capabilities.HttpUri) throw new HostStartError('HTTP streaming (app.setup({ enableHttpStream: true })) is not supported by the local host.');
  await app.runHooks('appStart', { hookData: app.appLevelOnlyHookData, appHookData: app.appHookData, functionAppDirectory: appRoot });

  const functions = [...app.functions.values()];
  warnUnsupportedBindings(functions, log);
  const timers = new Map<string, TimerTrigger>();
  const queues = new Map<string, QueueTrigger>();
  const queueOutputs = new QueueOutputs(process.env, hostJson.queues.messageEncoding, (queueName) => {
    for (const q of queues.values()) if (q.queueName === queueName) q.notify();
  });
  const invoker = new Invoker(app, log, hostJson.functionTimeoutInMs, (fn, response) => queueOutputs.deliver(fn, response));
  for (const fn of functions) {
    const { name: bindingName, binding } = triggerBinding(fn);
    const key = fn.metadata.name.toLowerCase();
    const type = binding.type?.toLowerCase();
    if (type === 'timertrigger') {
      const expression = resolveSettings(String(binding.schedule ?? ''), process.env);
      timers.set(key, new TimerTrigger(fn, bindingName, parseSchedule(expression, process.env.WEBSITE_TIME_ZONE), invoker));
    } else if (type === 'queuetrigger') {
      const queueName = resolveSettings(String(binding.queueName ?? ''), process.env).toLowerCase();
      const { queue, poison } = queueClientsFor(String(binding.connection ?? 'AzureWebJobsStorage'), queueName, process.env);
      queues.set(key, new QueueTrigger(fn, bindingName, queue, poison, hostJson.queues, invoker, log));
    }
  }

  let stopping = false;
  const find = (name: string): RegisteredFunction => {
    const fn = functions.find((f) => f.metadata.name.toLowerCase() === name.toLowerCase());
    if (!fn) throw new Error(`No function named "${name}"; the app has: ${functions.map((f) => f.metadata.name).join(', ')}`);
    return fn;
  };
  const invoke = async (name: string, input?: unknown): Promise<unknown> => {
    const fn = find(name);
    const timer = timers.get(fn.metadata.name.toLowerCase());
    const queue = queues.get(fn.metadata.name.toLowerCase());
    if (timer) {
      const outcome = await timer.runOnce();
      if (!outcome.ok) throw outcome.error;
      return decodeTypedData(outcome.response.returnValue);
    }
    if (queue) {
      await queue.invokeText(typeof input === 'string' ? input : JSON.stringify(input ?? null));
      return undefined;
    }
    const { name: bindingName, binding } = triggerBinding(fn);
    if (binding.type?.toLowerCase() === 'httptrigger') throw new Error(`"${fn.metadata.name}" is an HTTP function; call its route.`);
    const data: RpcTypedData = typeof input === 'string' ? { string: input } : { json: JSON.stringify(input ?? null) };
    const outcome = await invoker.invoke(fn, triggerKind(fn), { inputData: [{ name: bindingName, data }] });
    if (!outcome.ok) throw outcome.error;
    return decodeTypedData(outcome.response.returnValue);
  };

  const server = createServer(
    createHttpFront({
      functions,
      routePrefix: hostJson.routePrefix,
      invoker,
      keys: options.keys ?? keysFromSettings(process.env),
      invokeNonHttp: async (name, input) => void (await invoke(name, input)),
      isStopping: () => stopping,
      platformAuth: options.platformAuth ? createPlatformAuth(options.platformAuth) : undefined,
    }),
  );
  const port = await listen(server, options.port ?? 7071, options.hostname ?? '127.0.0.1');
  const url = `http://${options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : '127.0.0.1'}:${port}`;

  if ((options.timers ?? 'schedule') === 'schedule') {
    for (const [key, timer] of timers) {
      const binding = triggerBinding(find(key)).binding;
      timer.start(binding.runOnStartup === true || binding.runOnStartup === 'true');
    }
  }
  for (const q of queues.values()) q.start();
  log.host('information', `Host started on ${url}`, { functions: functions.map((f) => `${f.metadata.name} (${triggerKind(f)})`) });

  let stopped: Promise<void> | undefined;
  return {
    url,
    functions: functions.map((f) => ({ name: f.metadata.name, trigger: triggerKind(f), ...httpRouteOf(f) })),
    entryLoadMs,
    async runTimer(name) {
      const timer = timers.get(find(name).metadata.name.toLowerCase());
      if (!timer) throw new Error(`"${name}" is not a timer-triggered function`);
      const outcome = await timer.runOnce();
      if (!outcome.ok) throw outcome.error;
    },
    invoke,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        const bound = options.shutdownTimeoutInMs ?? 10_000;
        const graceful = Promise.all([...[...timers.values()].map((t) => t.stop()), ...[...queues.values()].map((q) => q.stop())]).then(
          () => invoker.drain(bound),
        );
        const finished = await Promise.race([graceful.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), bound).unref())]);
        if (!finished) log.host('warning', `Stopped with ${invoker.inFlightCount} invocation(s) still running after ${bound} ms`);
        await app.runHooks('appTerminate', { hookData: app.appLevelOnlyHookData, appHookData: app.appHookData }).catch(() => undefined);
        server.closeAllConnections();
        await closed;
        log.host('information', 'Host stopped');
      })();
      return stopped;
    },
  };
}

// ES modules evaluate once per process, so their `app.*` registrations happen once: a host started again in the same
// process (a restart in a test or benchmark) reuses what the first start captured. Module-level state of the app
// survives such a restart; a new process is the full restart.
const loadedApps = new Map<string, { app: WorkerApp; entryLoadMs: { file: string; loadMs: number }[]; log: { current: HostLog } }>();

async function loadOnce(appRoot: string, log: HostLog): Promise<{ app: WorkerApp; entryLoadMs: { file: string; loadMs: number }[] }> {
  const loaded = loadedApps.get(appRoot);
  if (loaded) {
    loaded.log.current = log; // the core module installed by the first start stays in place
    return loaded;
  }
  const holder = { current: log };
  const app = new WorkerApp((level, message) => holder.current.host(level, message));
  installCoreModule(app);
  const entryLoadMs = await loadApp(appRoot, app);
  loadedApps.set(appRoot, { app, entryLoadMs, log: holder });
  return { app, entryLoadMs };
}

function httpRouteOf(fn: RegisteredFunction): { route?: string; methods?: string[] } {
  const { binding } = triggerBinding(fn);
  if (binding.type?.toLowerCase() !== 'httptrigger') return {};
  const methods = (binding as { methods?: unknown }).methods;
  return { route: String(binding.route ?? fn.metadata.name), methods: Array.isArray(methods) ? methods.map((m) => String(m).toUpperCase()) : [] };
}

function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new HostStartError(`Port ${port} is already in use: stop whatever listens there, or choose another port.`)
          : err,
      ),
    );
    server.listen(port, hostname, () => resolvePort((server.address() as AddressInfo).port));
  });
}

function decodeTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.json != null) return JSON.parse(data.json);
  if (data.string != null) return data.string;
  if (data.bytes) return Buffer.from(data.bytes);
  return data.int ?? data.double ?? undefined;
}

function warnUnsupportedBindings(functions: RegisteredFunction[], log: HostLog): void {
  for (const fn of functions) {
    const { binding } = triggerBinding(fn);
    const type = binding.type?.toLowerCase();
    if (!['httptrigger', 'timertrigger', 'queuetrigger'].includes(type ?? '')) {
      log.host('warning', `Function "${fn.metadata.name}": trigger type "${binding.type}" is not run by the local host`);
    }
    for (const [name, b] of Object.entries(fn.metadata.bindings)) {
      if (b === binding || (name === '$return' && b.type === 'http') || isQueueOutput(b)) continue;
      log.host('warning', `Function "${fn.metadata.name}": binding "${name}" (${b.type}, ${b.direction}) is not supported by the local host`);
    }
  }
}
