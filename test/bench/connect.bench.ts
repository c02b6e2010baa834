// `npm run bench -- connect`: a connect with a free seat, side by side — the broker (one pool-view read, one
// reservation write) and today's wake-style /connect (a wake event plus a full evaluation: 3 ARM reads under the
// pool's lease). p50/p95 latency, storage operations and ARM calls per connect, measured in one run on Azurite (behind a
// counting proxy) and the emulator (ARM over HTTPS with the real SDK clients).
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { parseVmssPolicy, vmssPolicyToRow } from '../../src/autoscale/policy.js';
import { wakePool } from '../../src/autoscale/wake-pool.js';
import { evaluatePool } from '../../src/autoscale/evaluate-pool.js';
import { installClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createAppStorage } from '../../src/local/app-storage.js';
import { connectionStringFor, startAzurite } from '../../src/local/azurite.js';
import { startEmulator } from '../../src/local/emulator/index.js';
import { percentile } from '../../src/simulator/run-metrics.js';
import { autoscaleDepsFromConfig } from '../../src/services/autoscale.js';
import { brokerPartsFromConfig, createBrokerService } from '../../src/services/broker.js';

const CONNECTS = 200;
const GOAL_STORAGE_OPS = 2;

/** A table-endpoint proxy that counts the storage requests passing through it. */
async function countingProxy(targetPort: number): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    const up = httpRequest({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

export async function bench(): Promise<void> {
  const azurite = await startAzurite();
  const proxy = await countingProxy(azurite.ports.table);
  const emulator = await startEmulator({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-bench-connect-'));
  try {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emulator.caPem);
    await createAppStorage(azurite.connectionString);
    installClock(emulator.clock);
    const counted = connectionStringFor({ ...azurite.ports, table: proxy.port });
    const target = emulator.compute.createScaleSet({ resourceGroup: 'rg-bench', name: 'connect', capacity: 3 });
    // Seats enough that every connect finds one free: the hot path, not a scale-out.
    const parsed = parseVmssPolicy({ kind: 'vmss', target, minInstances: 3, maxInstances: 3, seatsPerInstance: 1000 });
    if (!parsed.ok) throw new Error('bench policy invalid');
    const policies = TableClient.fromConnectionString(azurite.connectionString, 'policies', { allowInsecureConnection: true });
    await policies.upsertEntity({ partitionKey: 'pool', rowKey: 'connect', ...vmssPolicyToRow(parsed.value) }, 'Replace');
    emulator.clock.advance(5 * 60_000);

    const config = loadConfig({ AzureWebJobsStorage: counted, DSVMPOOL_CREDENTIAL: 'emulator', DSVMPOOL_ARM_ENDPOINT: emulator.url, DSVMPOOL_TLS_CA_FILE: caFile });
    const deps = { ...autoscaleDepsFromConfig(config), log: () => undefined };
    await evaluatePool(deps, 'connect', parsed.value, { trigger: 'timer' }); // writes the first pool view
    const broker = createBrokerService(deps, brokerPartsFromConfig(config).store);

    const measure = async (name: string, once: (i: number) => Promise<unknown>) => {
      const ms: number[] = [];
      const storage0 = proxy.count();
      const arm0 = emulator.calls();
      for (let i = 0; i < CONNECTS; i++) {
        const t = performance.now();
        await once(i);
        ms.push(performance.now() - t);
      }
      return { name, p50: percentile(ms, 50), p95: percentile(ms, 95), storage: (proxy.count() - storage0) / CONNECTS, arm: (emulator.calls() - arm0) / CONNECTS };
    };
    const rows = [
      await measure('broker (POST /sessions, GET /connect)', async (i) => {
        const r = await broker.connect('connect', { user: `user${i}@example.com`, kind: 'jupyter' });
        if (r.placement.outcome !== 'placed' || r.evaluated) throw new Error(`connect ${i} was not placed on the hot path`);
      }),
      // Today's path as it was before the broker: no seat facts read, no view written.
      await measure("today's /connect (wake + evaluation)", (i) => wakePool({ ...deps, broker: undefined }, 'connect', `user${i}@example.com`, 'connect')),
    ];
    console.log(`${CONNECTS} sequential connects each, pool of 3 running VMs with free seats, Azurite + emulator on this machine.\n`);
    console.log('| connect | p50 ms | p95 ms | storage ops / connect | ARM calls / connect |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.storage.toFixed(2)} | ${r.arm.toFixed(2)} |`);
    const [b, today] = rows as [(typeof rows)[0], (typeof rows)[0]];
    console.log(`\nbroker vs today: p50 ${(today.p50 / b.p50).toFixed(1)}× faster, p95 ${(today.p95 / b.p95).toFixed(1)}× faster; storage ops ${b.storage.toFixed(2)} (goal ≤ ${GOAL_STORAGE_OPS}: ${b.storage <= GOAL_STORAGE_OPS ? 'met' : 'MISSED'}); ARM calls ${b.arm.toFixed(2)} (goal 0: ${b.arm === 0 ? 'met' : 'MISSED'})`);
  } finally {
    installClock(undefined);
    await emulator.stop();
    await proxy.close();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
