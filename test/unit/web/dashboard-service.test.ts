// The dashboard service over recording fakes of its ports: one observation of the pools shared by every viewer for
// 10 s of app time, a failed one not kept, and the cost taken from the pool's configured price; plus the built-asset
// lookup and the prices setting.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PoolStatus } from '../../../src/autoscale/pool-status.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { createDashboardService, type DashboardParts } from '../../../src/services/dashboard.js';
import { loadWebAssets } from '../../../src/web/assets.js';

function parts(now: { t: number }, fail: { next: boolean }) {
  const calls = { list: 0, since: 0 };
  const status: PoolStatus = { pool: 'lab', target: '/vmss/lab', enabled: true, dryRun: false, warnings: [], capacity: 2, provisioningState: 'Succeeded', instances: [{ instanceId: '0', state: 'running', sessions: 1, maxSessionsInWindow: 1, protectFromScaleIn: true }, { instanceId: '1', state: 'stopped', sessions: null, maxSessionsInWindow: null, protectFromScaleIn: false }] };
  const p = {
    autoscale: {
      list: async () => {
        calls.list++;
        if (fail.next) {
          fail.next = false;
          throw Object.assign(new Error('throttled'), { code: 'ARM_THROTTLED' });
        }
        return [status];
      },
      events: async () => ({ events: [] }),
    },
    jobs: { list: async () => ({ items: [] }) },
    policies: { list: async () => [{ pool: 'lab', fields: { kind: 'vmss', target: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/lab', seatsPerInstance: 3 } }], get: async () => undefined, put: async () => undefined },
    events: { since: async () => ((calls.since++, [])), page: async () => ({ events: [] }), append: async () => undefined },
    sessions: { series: async () => [] },
    prices: { lab: { vmSize: 'Standard_NC4as_T4_v3', vmPerHour: 0.5 } },
    now: () => new Date(now.t),
  } as unknown as DashboardParts;
  return { p, calls };
}

describe('dashboard service', () => {
  it('observes the pools once for every viewer within 10 s, again after, and does not keep a failed observation', async () => {
    const now = { t: Date.parse('2026-11-30T12:00:00Z') };
    const fail = { next: false };
    const { p, calls } = parts(now, fail);
    const service = createDashboardService(p);
    const admin = { user: 'admin', isAdmin: true };
    const [a, b] = await Promise.all([service.view(admin), service.view({ user: 'ann', isAdmin: false })]);
    now.t += 9_000;
    await service.view(admin);
    expect(calls.list).toBe(1);
    expect(a.seatsPerInstance).toEqual({ lab: 3 });
    expect(b.money).toBeUndefined();
    now.t += 1_000;
    fail.next = true;
    await expect(service.view(admin)).rejects.toMatchObject({ code: 'ARM_THROTTLED' });
    await service.view(admin);
    expect(calls.list).toBe(3);
    expect(calls.since).toBe(2); // one events read per pool per observation
  });

  it('bills the stopped VM too, at the pool’s configured price', async () => {
    const now = { t: Date.parse('2026-11-30T12:00:00Z') }; // Monday noon: 12 h today, this week and (no) month overlap
    const { p } = parts(now, { next: false });
    const view = await createDashboardService(p).view({ user: 'admin', isAdmin: true });
    // No events: the pool as seen now (2 billed VMs: running + stopped) held since the start of the history.
    expect(view.money!.pools[0]).toMatchObject({ price: { vmSize: 'Standard_NC4as_T4_v3', vmPerHour: 0.5 }, today: { vmHours: 24, cost: 12 }, alwaysOn: { vms: 2 } });
  });
});

describe('built assets', () => {
  it('serves only files the build produced, by name, and reports a missing build', () => {
    const root = mkdtempSync(join(tmpdir(), 'dsvm-web-'));
    expect(loadWebAssets(root).page()).toBeUndefined();
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'x');
    const web = loadWebAssets(root);
    expect(web.page()?.contentType).toBe('text/html; charset=utf-8');
    expect(web.asset('index-abc.js')?.contentType).toBe('text/javascript; charset=utf-8');
    expect(web.asset('../index.html')).toBeUndefined();
    expect(web.asset('missing.js')).toBeUndefined();
  });
});

describe('DSVMPOOL_POOL_PRICES', () => {
  const base = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
  it('reads VM size and price per pool, and defaults to none', () => {
    expect(loadConfig(base).poolPrices).toEqual({});
    expect(loadConfig({ ...base, DSVMPOOL_POOL_PRICES: '{"gpu": {"vmSize": "Standard_NC4as_T4_v3", "vmPerHour": 0.526}}' }).poolPrices).toEqual({ gpu: { vmSize: 'Standard_NC4as_T4_v3', vmPerHour: 0.526 } });
  });

  it.each(['not json', '{"gpu": 0.5}', '{"gpu": {"vmSize": "x", "vmPerHour": -1}}', '{"gpu": {"vmSize": "x", "vmPerHour": 1, "disk": 2}}'])('refuses %s, naming the setting', (value) => {
    try {
      loadConfig({ ...base, DSVMPOOL_POOL_PRICES: value });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems[0]).toMatchObject({ setting: 'DSVMPOOL_POOL_PRICES', message: expect.stringMatching(/pool name → VM size and USD per VM-hour/) });
    }
  });
});
