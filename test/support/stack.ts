// The whole app for integration tests: Azurite + the Azure emulator (manual clock) + the local Functions host
// running the compiled app (dist/, built by the vitest globalSetup), with the app's tables and queues created and
// the emulator's clock installed as the app clock. One stack per test file (one host per process).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installClock } from '../../src/clock.js';
import { settingsSchema } from '../../src/config.js';
import { createAppStorage } from '../../src/local/app-storage.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/local/emulator/index.js';
import { startHost, type RunningHost } from '../../src/local/host/index.js';
import { startAzurite, type TestAzurite } from './azurite.js';

// Two levels up from test/support; three from dist/test/support when a benchmark runs the compiled copy.
const here = fileURLToPath(new URL('../..', import.meta.url));
export const projectRoot = existsSync(join(here, 'package.json')) ? here : join(here, '..');

export interface TestStack {
  azurite: TestAzurite;
  emulator: Emulator;
  host: RunningHost;
  /** The app settings the host runs with. */
  env: Record<string, string>;
  /** The host's structured log lines (JSON), for assertions and for debugging a failing test. */
  logs: string[];
  /** Stops the host (in-flight invocations drain) and starts it again on the same Azurite and emulator; `host` then
   * names the new one. In-process: the app's module-level state survives (see src/local/host/index.ts). */
  restartHost(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  emulator?: EmulatorOptions;
  env?: Record<string, string>;
  timers?: 'manual' | 'schedule';
  /** Also print host log lines (default: only collect them in `logs`). */
  printLogs?: boolean;
  /** The host plays App Service authentication with the emulator's tenant (default true, as infra deploys it). */
  platformAuth?: boolean;
}

export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const cleanup: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  };
  try {
    const azurite = await startAzurite();
    cleanup.push(() => azurite.stop());
    const emulator = await startEmulator({ port: 0, vmReportsConnectionString: azurite.connectionString, ...opts.emulator });
    cleanup.push(() => emulator.stop());
    const dir = mkdtempSync(join(tmpdir(), 'dsvm-stack-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const caFile = join(dir, 'emulator-ca.pem');
    writeFileSync(caFile, emulator.caPem);
    const env: Record<string, string> = {
      ...settingDefaults(),
      AzureWebJobsStorage: azurite.connectionString,
      DSVMPOOL_CREDENTIAL: 'emulator',
      DSVMPOOL_ARM_ENDPOINT: emulator.url,
      DSVMPOOL_BATCH_ENDPOINT: emulator.url,
      DSVMPOOL_TLS_CA_FILE: caFile,
      // Under the manual clock no simulated time passes while the app waits on an operation, so an operation on VMs
      // (which ends when they have booted, started, deallocated or gone, as in Azure) always outlives the wait: the
      // tick records it as still running and the next tick observes it. 3 s (real) leaves room for the first poll
      // (Retry-After 1 s) that ends an operation changing no VM state (protection, Run Command).
      DSVMPOOL_LRO_WAIT_SECONDS: '3',
      ...entraSettings(emulator),
      ...opts.env,
    };
    await createAppStorage(azurite.connectionString);
    installClock(emulator.clock);
    cleanup.push(() => installClock(undefined));
    const logs: string[] = [];
    const hostOptions = {
      appRoot: projectRoot,
      port: 0,
      env,
      timers: opts.timers ?? 'manual',
      platformAuth: opts.platformAuth === false ? undefined : { issuer: emulator.entra.issuer, clientId: emulator.entra.clientId, ca: emulator.caPem },
      log: (line: string) => {
        logs.push(line);
        if (opts.printLogs) console.log(line);
      },
    } as const;
    const stack: TestStack = { azurite, emulator, host: await startHost(hostOptions), env, logs, stop, restartHost };
    cleanup.push(() => stack.host.stop());
    async function restartHost(): Promise<void> {
      await stack.host.stop();
      stack.host = await startHost(hostOptions);
    }
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The app's Entra settings with the emulator as the authority, as infra sets them for the real tenant in Azure. */
export function entraSettings(emulator: Emulator): Record<string, string> {
  return {
    DSVMPOOL_ENTRA_TENANT_ID: emulator.entra.tenantId,
    DSVMPOOL_ENTRA_AUDIENCE: `api://dsvm-pool,${emulator.entra.clientId}`,
    DSVMPOOL_ENTRA_AUTHORITY_HOST: emulator.url,
  };
}

/** Every setting that has a default in src/config.ts, as the strings an app setting holds (timers reference some
 * of them as %NAME%, which the host resolves from app settings, not from the schema). */
export function settingDefaults(): Record<string, string> {
  const parsed = settingsSchema.parse({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (k !== 'AzureWebJobsStorage' && v !== undefined) out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}
