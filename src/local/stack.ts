// `npm start`: the whole service on this machine. Azurite (storage), the Azure emulator (ARM, Monitor, Batch over
// HTTPS, clock at 60×) and the local Functions host running the compiled app with local.settings.json, plus demo data
// (unless --empty). Fixed ports; Ctrl-C stops everything. Options: src/local/start-options.ts (`npm start -- --help`).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { installClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { createAppStorage } from './app-storage.js';
import { startAzurite, type RunningAzurite } from './azurite.js';
import { seedDemo } from './demo.js';
import { EMULATOR_API_CLIENT_ID, EMULATOR_TENANT_ID, startEmulator, type Emulator } from './emulator/index.js';
import { startHost, type RunningHost } from './host/index.js';
import { LocalLog, type LogLevel } from './local-log.js';
import { parseStartOptions, START_HELP, StartOptionsError, type StartOptions } from './start-options.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Tests of this entry point move its state and ports out of the way of a developer's own `npm start`:
// DSVMPOOL_LOCAL_DIR holds local.settings.json, .local/ and .azurite/ (default: the project folder), and
// DSVMPOOL_LOCAL_PORTS is "random" or "host:emulator:blob:queue:table".
const stateDir = process.env.DSVMPOOL_LOCAL_DIR || root;
const ports = parsePorts(process.env.DSVMPOOL_LOCAL_PORTS);

function parsePorts(spec: string | undefined): Record<'host' | 'emulator' | 'blob' | 'queue' | 'table', number> {
  if (!spec) return { host: 7071, emulator: 7443, blob: 10000, queue: 10001, table: 10002 };
  const list = spec === 'random' ? [0, 0, 0, 0, 0] : spec.split(':').map(Number);
  const [host, emulator, blob, queue, table] = list;
  if (list.length !== 5 || list.some((p) => !Number.isInteger(p) || p < 0 || p > 65535)) {
    throw new Error(`DSVMPOOL_LOCAL_PORTS must be "random" or "host:emulator:blob:queue:table" (got "${spec}")`);
  }
  return { host: host!, emulator: emulator!, blob: blob!, queue: queue!, table: table! };
}
const portNames: Record<keyof typeof ports, string> = {
  host: 'the Functions host',
  emulator: 'the Azure emulator',
  blob: 'Azurite Blob',
  queue: 'Azurite Queue',
  table: 'Azurite Table',
};

class StackStartError extends Error {}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

async function checkPorts(): Promise<void> {
  const taken = [];
  for (const [key, port] of Object.entries(ports) as [keyof typeof ports, number][]) {
    if (port !== 0 && !(await isFree(port))) taken.push(`${port} (${portNames[key]})`);
  }
  if (taken.length > 0) {
    throw new StackStartError(
      `Port${taken.length > 1 ? 's' : ''} already in use: ${taken.join(', ')}.\n` +
        'Is another `npm start` (or Azurite / Core Tools) running? Stop it and try again.',
    );
  }
}

/** local.settings.json `Values`, created from the sample on first run (as `func init` would). */
function localSettings(): Record<string, string> {
  const file = join(stateDir, 'local.settings.json');
  if (!existsSync(file)) {
    copyFileSync(join(root, 'local.settings.sample.json'), file);
    console.log('Created local.settings.json from local.settings.sample.json.');
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
}

/** The settings npm start provides itself, over whatever local.settings.json says: the emulator is also the Entra
 * authority, for its own tenant and app registration. */
function stackSettings(storage: string, emulatorUrl: string, caFile: string): Record<string, string> {
  return {
    AzureWebJobsStorage: storage,
    DSVMPOOL_CREDENTIAL: 'emulator',
    DSVMPOOL_ARM_ENDPOINT: emulatorUrl,
    DSVMPOOL_BATCH_ENDPOINT: emulatorUrl,
    DSVMPOOL_TLS_CA_FILE: caFile,
    DSVMPOOL_ENTRA_TENANT_ID: EMULATOR_TENANT_ID,
    DSVMPOOL_ENTRA_AUDIENCE: `api://dsvm-pool,${EMULATOR_API_CLIENT_ID}`,
    DSVMPOOL_ENTRA_AUTHORITY_HOST: emulatorUrl,
  };
}

/** Sends console.* (the app's and this file's messages) through the local log, with their levels. */
function routeConsole(log: LocalLog): void {
  const to = (level: LogLevel) => (...args: unknown[]) => log.console(level, format(...args));
  console.log = to('info');
  console.info = to('info');
  console.debug = to('debug');
  console.warn = to('warn');
  console.error = to('error');
}

/** Where start-up time went: the build (by the npm start launcher, in this process) and loading, then each part. */
function buildPhases(): { phases: [string, number][]; mark: number } {
  const buildMs = Number(process.env.DSVMPOOL_START_BUILD_MS);
  const phases: [string, number][] = [];
  if (Number.isFinite(buildMs)) phases.push(['build', buildMs], ['load', performance.now() - buildMs]);
  else phases.push(['load', performance.now()]);
  return { phases, mark: performance.now() };
}

async function main(options: StartOptions): Promise<void> {
  // performance.now() counts from this process's start, which includes the launcher's build.
  const start = buildPhases();
  const phases = start.phases;
  let mark = start.mark;
  const phase = (name: string): void => {
    const now = performance.now();
    phases.push([name, now - mark]);
    mark = now;
  };
  const persist = options.persist;
  const values = localSettings();
  // Fail on a bad setting before starting anything; the endpoints npm start provides itself stand in as placeholders.
  loadConfig({ ...values, ...stackSettings('UseDevelopmentStorage=true', 'https://127.0.0.1', 'emulator-ca.pem') });
  await checkPorts();

  const running: { host?: RunningHost; emulator?: Emulator; azurite?: RunningAzurite } = {};
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      await running.host?.stop().catch(() => undefined);
      await running.emulator?.stop().catch(() => undefined);
      await running.azurite?.stop().catch(() => undefined);
    })());
  // Whatever happens to this process, Azurite must not outlive it.
  process.on('exit', () => {
    if (running.azurite) {
      try {
        process.kill(running.azurite.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1); // second Ctrl-C: don't wait
      console.log(`${signal}: stopping (in-flight invocations get up to 10 s)…`);
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    const localDir = join(stateDir, '.local');
    mkdirSync(localDir, { recursive: true });
    running.azurite = await startAzurite({
      blobPort: ports.blob,
      queuePort: ports.queue,
      tablePort: ports.table,
      location: persist ? join(stateDir, '.azurite') : undefined,
    });
    phase('Azurite');
    running.emulator = await startEmulator({
      port: ports.emulator,
      clock: { speed: 60 },
      connectionInfoFile: join(localDir, 'emulator.json'),
      vmReportsConnectionString: running.azurite.connectionString,
      log: () => undefined,
    });
    phase('emulator');
    const env = { ...values, ...stackSettings(running.azurite.connectionString, running.emulator.url, join(localDir, 'emulator-ca.pem')) };
    await createAppStorage(running.azurite.connectionString);
    const demo = { storageConnectionString: running.azurite.connectionString, emulatorUrl: running.emulator.url, emulator: running.emulator, caFile: env.DSVMPOOL_TLS_CA_FILE };
    if (!options.empty) await seedDemo(demo);
    installClock(running.emulator.clock);
    phase('storage + demo');
    running.host = await startHost({
      appRoot: root,
      port: ports.host,
      env,
      timers: 'schedule',
      hostname: '127.0.0.1',
      log: (line) => hostLog(line),
      platformAuth: { issuer: running.emulator.entra.issuer, clientId: running.emulator.entra.clientId, ca: running.emulator.caPem },
    });
    phase('host');
  } catch (err) {
    await stopAll();
    throw err;
  }

  const url = `http://localhost:${new URL(running.host.url).port}`;
  const ca = relative(process.cwd(), join(stateDir, '.local', 'emulator-ca.pem')) || 'emulator-ca.pem';
  process.stdout.write(
    [
      '',
      'dsvm-pool is running locally',
      `  API        ${url}/api/health   (functions: ${running.host.functions.map((f) => f.name).join(', ')})`,
      `  Dashboard  ${url}/api/ui   (a browser signs in first; as DsvmPool.Admin it shows decisions and costs)`,
      `  Reference  ${url}/api/docs`,
      `  Emulator   ${running.emulator.url}   (ARM, Monitor, Batch, Entra ID; clock ×60; CA in ${ca})`,
      `  Sign in    ${url}/.auth/login/aad   (browser: the emulator's sign-in page; accept its certificate or trust ${ca})`,
      '  Token      for scripts and curl, an Entra access token from the emulator (roles DsvmPool.User or DsvmPool.Admin):',
      `             TOKEN=$(curl -s --cacert ${ca} -X POST ${running.emulator.url}/_emulator/entra/token -H 'content-type: application/json' \\`,
      `               -d '{"user":"you@example.com","roles":["DsvmPool.Admin"]}' | jq -r .access_token)`,
      `             curl -H "Authorization: Bearer $TOKEN" ${url}/api/pools`,
      `  Storage    Azurite on ${Object.values(running.azurite.ports).join(', ')}, ${persist ? 'persisted in .azurite/' : 'in memory (--persist keeps it)'}`,
      options.empty
        ? '  Demo data  none (--empty)'
        : '  Demo data  pool dsvm-demo at 0 VMs (keeps 1 VM on Mon-Fri 08-18 Europe/Berlin, in emulator time), Batch pools gpu and cpu at 0 nodes',
      `  Logs       ${options.logFormat}, level ${options.logLevel}${options.logLevel === 'debug' ? '' : ' (idle timer runs are debug: --log-level debug shows them)'}`,
      `Started in ${(performance.now() / 1000).toFixed(1)} s (${phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)}`).join(', ')}). Ctrl-C stops everything.`,
      '',
    ].join('\n') + '\n',
  );
}

let hostLog: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

function run(): void {
  let options: StartOptions;
  try {
    options = parseStartOptions(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  } catch (err) {
    console.error(`npm start: ${(err as Error).message}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${START_HELP}\n`);
    return;
  }
  const log = new LocalLog({ level: options.logLevel, format: options.logFormat, color: process.stdout.isTTY === true && !process.env.NO_COLOR, write: (line) => process.stdout.write(`${line}\n`) });
  hostLog = (line) => log.hostLine(line);
  routeConsole(log);
  main(options).catch((err: unknown) => {
    const message = err instanceof ConfigError || err instanceof StackStartError || err instanceof StartOptionsError ? err.message : (err as Error).stack ?? String(err);
    process.stderr.write(`npm start failed: ${message}\n`);
    process.exit(1);
  });
}

run();
