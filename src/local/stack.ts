// `npm start`: the whole service on this machine. Azurite (storage), the Azure emulator (ARM, Monitor, Batch over
// HTTPS, clock at 60×) and the local Functions host running the compiled app with local.settings.json, plus demo data.
// Fixed ports; Ctrl-C stops everything.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { createAppStorage } from './app-storage.js';
import { startAzurite, type RunningAzurite } from './azurite.js';
import { seedDemo } from './demo.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { startHost, type RunningHost } from './host/index.js';

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

/** The settings npm start provides itself, over whatever local.settings.json says. */
function stackSettings(storage: string, emulatorUrl: string, caFile: string): Record<string, string> {
  return {
    AzureWebJobsStorage: storage,
    DSVMPOOL_CREDENTIAL: 'emulator',
    DSVMPOOL_ARM_ENDPOINT: emulatorUrl,
    DSVMPOOL_BATCH_ENDPOINT: emulatorUrl,
    DSVMPOOL_TLS_CA_FILE: caFile,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const phases: [string, number][] = [];
  let mark = started;
  const phase = (name: string): void => {
    const now = performance.now();
    phases.push([name, now - mark]);
    mark = now;
  };
  const persist = process.argv.includes('--persist');
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
      console.log(`\n${signal}: stopping (in-flight invocations get up to 10 s)…`);
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
      log: () => undefined,
    });
    phase('emulator');
    const env = { ...values, ...stackSettings(running.azurite.connectionString, running.emulator.url, join(localDir, 'emulator-ca.pem')) };
    await createAppStorage(running.azurite.connectionString);
    const demo = { storageConnectionString: running.azurite.connectionString, emulatorUrl: running.emulator.url, emulator: running.emulator, caFile: env.DSVMPOOL_TLS_CA_FILE };
    await seedDemo(demo);
    installClock(running.emulator.clock);
    phase('storage + demo');
    running.host = await startHost({ appRoot: root, port: ports.host, env, timers: 'schedule', hostname: '127.0.0.1' });
    phase('host');
  } catch (err) {
    await stopAll();
    throw err;
  }

  const url = `http://localhost:${new URL(running.host.url).port}`;
  console.log(
    [
      '',
      'dsvm-pool is running locally',
      `  API        ${url}/api/health   (functions: ${running.host.functions.map((f) => f.name).join(', ')})`,
      `  Dashboard  ${url}/api/ui`,
      `  Emulator   ${running.emulator.url}   (ARM, Monitor, Batch; clock ×60; CA in .local/emulator-ca.pem)`,
      `  Storage    Azurite on ${Object.values(running.azurite.ports).join(', ')}, ${persist ? 'persisted in .azurite/' : 'in memory (--persist keeps it)'}`,
      `Started in ${((performance.now() - started) / 1000).toFixed(1)} s (${phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)}`).join(', ')}). Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof StackStartError ? err.message : (err as Error).stack ?? String(err);
  console.error(`npm start failed: ${message}`);
  process.exit(1);
});
