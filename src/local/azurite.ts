// Starts Azurite (the npm storage emulator) as a child process and hands back its endpoints. Used by `npm start`
// and by the tests; ports 0 means "any free port", read back from Azurite's own start-up lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const devAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

export interface AzuriteOptions {
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** Folder for persisted data; omit to keep everything in memory. */
  location?: string;
  startTimeoutInMs?: number;
}

export interface RunningAzurite {
  connectionString: string;
  blobUrl: string;
  queueUrl: string;
  tableUrl: string;
  ports: { blob: number; queue: number; table: number };
  pid: number;
  stop(): Promise<void>;
}

export class AzuriteStartError extends Error {
  readonly code = 'AZURITE_START_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'AzuriteStartError';
  }
}

function azuriteEntry(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'azurite.js');
}

export function connectionStringFor(ports: { blob: number; queue: number; table: number }): string {
  const base = 'http://127.0.0.1';
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${devAccount.name}`,
    `AccountKey=${devAccount.key}`,
    `BlobEndpoint=${base}:${ports.blob}/${devAccount.name}`,
    `QueueEndpoint=${base}:${ports.queue}/${devAccount.name}`,
    `TableEndpoint=${base}:${ports.table}/${devAccount.name}`,
  ].join(';') + ';';
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const inMemory = options.location === undefined;
  // Azurite writes a few small files (debug log, extent metadata) into its location even in memory mode.
  const location = options.location ?? mkdtempSync(join(tmpdir(), 'azurite-'));
  mkdirSync(location, { recursive: true });
  const args = [
    azuriteEntry(),
    '--blobPort', String(options.blobPort ?? 0),
    '--queuePort', String(options.queuePort ?? 0),
    '--tablePort', String(options.tablePort ?? 0),
    ...(inMemory ? [] : ['--location', location]),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--loose',
    '--silent',
    ...(inMemory ? ['--inMemoryPersistence', '--extentMemoryLimit', '256'] : []),
  ];
  const child = spawn(process.execPath, args, { cwd: location, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ports: Partial<Record<'blob' | 'queue' | 'table', number>> = {};

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new AzuriteStartError(`Azurite did not start within ${options.startTimeoutInMs ?? 30_000} ms:\n${output}`)),
      options.startTimeoutInMs ?? 30_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g)) {
        ports[m[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = Number(m[2]);
      }
      if (ports.blob && ports.queue && ports.table) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const taken = /EADDRINUSE|address already in use/i.test(output);
      reject(
        new AzuriteStartError(
          taken
            ? `Azurite could not start: a port is already in use (blob ${options.blobPort}, queue ${options.queuePort}, table ${options.tablePort}). Stop whatever listens there and try again.`
            : `Azurite exited with code ${code} before it was ready:\n${output}`,
        ),
      );
    });
  });

  try {
    await ready;
  } catch (err) {
    await stopChild(child);
    if (inMemory) rmSync(location, { recursive: true, force: true });
    throw err;
  }
  const p = { blob: ports.blob!, queue: ports.queue!, table: ports.table! };
  const connectionString = connectionStringFor(p);
  return {
    connectionString,
    blobUrl: `http://127.0.0.1:${p.blob}/${devAccount.name}`,
    queueUrl: `http://127.0.0.1:${p.queue}/${devAccount.name}`,
    tableUrl: `http://127.0.0.1:${p.table}/${devAccount.name}`,
    ports: p,
    pid: child.pid!,
    async stop() {
      await stopChild(child, !inMemory);
      if (inMemory) rmSync(location, { recursive: true, force: true });
    },
  };
}

/** In memory there is nothing to flush, so no need to wait out open keep-alive connections; persisted data gets
 * a graceful SIGTERM first. */
async function stopChild(child: ChildProcess, graceful = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
