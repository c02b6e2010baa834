// The health report: healthy only when every fatal dependency answers; information-only probes never make it
// unhealthy; a probe that hangs is cut off at the timeout and reported as failed.
import { describe, expect, it } from 'vitest';
import type { HealthProbe } from '../../../src/health/health-probe.port.js';
import { checkHealth } from '../../../src/health/health-report.js';

const ok = (name: string, fatal = true, detail?: string): HealthProbe => ({ name, fatal, check: async () => detail });
const failing = (name: string, fatal = true): HealthProbe => ({
  name,
  fatal,
  check: async () => {
    throw new Error(`${name} refused the connection`);
  },
});
const hanging = (name: string): HealthProbe => ({
  name,
  fatal: true,
  check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
});
const options = { version: '1.2.3', now: new Date('2026-01-01T00:00:00Z'), timeoutInMs: 50 };

describe('checkHealth', () => {
  it('is healthy when every probe answers, with version, time and details', async () => {
    const report = await checkHealth([ok('table', true, 'tables: jobs'), ok('arm', false)], options);
    expect(report).toMatchObject({ status: 'healthy', version: '1.2.3', checkedAt: '2026-01-01T00:00:00.000Z' });
    expect(report.dependencies).toEqual([
      expect.objectContaining({ name: 'table', status: 'ok', fatal: true, detail: 'tables: jobs' }),
      expect.objectContaining({ name: 'arm', status: 'ok', fatal: false }),
    ]);
  });

  it('is unhealthy when a fatal probe fails, and says why', async () => {
    const report = await checkHealth([ok('table'), failing('queue')], options);
    expect(report.status).toBe('unhealthy');
    expect(report.dependencies[1]).toMatchObject({ name: 'queue', status: 'failed', detail: 'queue refused the connection' });
  });

  it('stays healthy when only an information probe fails', async () => {
    const report = await checkHealth([ok('table'), failing('batch', false)], options);
    expect(report.status).toBe('healthy');
    expect(report.dependencies[1]).toMatchObject({ status: 'failed', fatal: false });
  });

  it('cuts a hanging probe off at the timeout', async () => {
    const report = await checkHealth([hanging('table')], options);
    expect(report.status).toBe('unhealthy');
    expect(report.dependencies[0]!.detail).toBe('no answer within 50 ms');
  });
});
