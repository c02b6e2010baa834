// Runs every probe at once, each bounded by a short timeout so a dead dependency answers quickly, and folds the
// results into one report: healthy only when every fatal probe passed.
import type { HealthProbe } from './health-probe.port.js';

export interface DependencyHealth {
  name: string;
  status: 'ok' | 'failed';
  fatal: boolean;
  durationMs: number;
  detail?: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  version: string;
  checkedAt: string;
  dependencies: DependencyHealth[];
}

export interface HealthCheckOptions {
  version: string;
  now: Date;
  timeoutInMs: number;
}

export async function checkHealth(probes: HealthProbe[], o: HealthCheckOptions): Promise<HealthReport> {
  const dependencies = await Promise.all(probes.map((p) => runProbe(p, o.timeoutInMs)));
  const healthy = dependencies.every((d) => !d.fatal || d.status === 'ok');
  return { status: healthy ? 'healthy' : 'unhealthy', version: o.version, checkedAt: o.now.toISOString(), dependencies };
}

async function runProbe(probe: HealthProbe, timeoutInMs: number): Promise<DependencyHealth> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject first, so the report says "no answer" rather than the probe's own abort error.
      reject(new Error(`no answer within ${timeoutInMs} ms`));
      controller.abort();
    }, timeoutInMs);
  });
  const result = (status: DependencyHealth['status'], detail?: string): DependencyHealth => ({
    name: probe.name,
    status,
    fatal: probe.fatal,
    durationMs: Math.round(performance.now() - started),
    ...(detail ? { detail } : {}),
  });
  try {
    const detail = await Promise.race([probe.check(controller.signal), timeout]);
    return result('ok', detail || undefined);
  } catch (err) {
    return result('failed', (err as Error).message || String(err));
  } finally {
    clearTimeout(timer);
  }
}
