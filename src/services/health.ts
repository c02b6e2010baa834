// Composition root of the health check: config → probes → report. Configuration problems are reported as a failed
// dependency rather than thrown, so /api/health can explain what is wrong.
import { readFileSync } from 'node:fs';
import { ConfigError, config as appConfig } from '../config.js';
import { endpointProbes, storageProbes } from '../azure/health-probes.js';
import { checkHealth, type HealthReport } from '../health/health-report.js';

const PROBE_TIMEOUT_MS = 2_000;

let version: string | undefined;
/** The app's version from its package.json (dist/src/services → ../../../, src/services → ../../). */
export function appVersion(): string {
  if (version === undefined) {
    version = 'unknown';
    for (const rel of ['../../package.json', '../../../package.json']) {
      try {
        const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'dsvm-pool' && pkg.version) {
          version = pkg.version;
          break;
        }
      } catch {
        // not at this level
      }
    }
  }
  return version;
}

export async function healthReport(): Promise<HealthReport> {
  // checkedAt is read by people, so it is the real time even where the app runs on another clock (the local stack's
  // emulator clock runs 60× faster).
  const now = new Date();
  let cfg;
  try {
    cfg = appConfig();
  } catch (err) {
    const detail = err instanceof ConfigError ? err.message : String(err);
    return {
      status: 'unhealthy',
      version: appVersion(),
      checkedAt: now.toISOString(),
      dependencies: [{ name: 'config', status: 'failed', fatal: true, durationMs: 0, detail }],
    };
  }
  return checkHealth([...storageProbes(cfg), ...endpointProbes(cfg)], { version: appVersion(), now, timeoutInMs: PROBE_TIMEOUT_MS });
}
