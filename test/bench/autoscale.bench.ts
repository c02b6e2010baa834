// One autoscale tick over 100 pools × 20 VMs against the emulator (ARM + Monitor over HTTPS with the real SDK
// clients) and Azurite: wall time, and ARM + Monitor calls per pool per tick when nothing changes (target ≤ 3:
// one VMSS GET, one instance list, one metrics query). Also decide() alone, for the share of the tick it takes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { decide } from '../../src/autoscale/decide.js';
import { observePool } from '../../src/autoscale/observe.js';
import { parseVmssPolicy, vmssPolicyToRow, type VmssPolicy } from '../../src/autoscale/policy.js';
import { runTick } from '../../src/autoscale/tick.js';
import { installClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createAppStorage } from '../../src/local/app-storage.js';
import { startAzurite } from '../../src/local/azurite.js';
import { startEmulator } from '../../src/local/emulator/index.js';
import { autoscaleDepsFromConfig } from '../../src/services/autoscale.js';
import { checkTarget } from './targets.js';

const POOLS = 100;
const VMS = 20;
const TARGET_CALLS_PER_POOL = 3;

export async function bench(): Promise<void> {
  const azurite = await startAzurite();
  const emulator = await startEmulator({ port: 0, vmListPageSize: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-bench-'));
  const log = console.log;
  try {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emulator.caPem);
    await createAppStorage(azurite.connectionString);
    installClock(emulator.clock);
    const policies = TableClient.fromConnectionString(azurite.connectionString, 'policies', { allowInsecureConnection: true });
    for (let i = 0; i < POOLS; i++) {
      const target = emulator.compute.createScaleSet({ resourceGroup: 'rg-bench', name: `pool-${i}`, capacity: VMS });
      const parsed = parseVmssPolicy({ kind: 'vmss', target, minInstances: VMS, maxInstances: VMS });
      if (!parsed.ok) throw new Error('bench policy invalid');
      await policies.upsertEntity({ partitionKey: 'pool', rowKey: `pool-${i}`, ...vmssPolicyToRow(parsed.value) }, 'Replace');
    }
    // Boot every VM and let each post its session metric for a while: a steady pool where nothing should change.
    emulator.clock.advance(25 * 60_000);

    const rows: string[][] = [];
    for (const maxConcurrentPools of [8, 32]) {
      const config = loadConfig({ AzureWebJobsStorage: azurite.connectionString, DSVMPOOL_CREDENTIAL: 'emulator', DSVMPOOL_ARM_ENDPOINT: emulator.url, DSVMPOOL_TLS_CA_FILE: caFile, DSVMPOOL_MAX_CONCURRENT_POOLS: String(maxConcurrentPools) });
      const deps = { ...autoscaleDepsFromConfig(config), log: () => undefined };
      emulator.clock.advance(60_000);
      const callsBefore = emulator.calls();
      const started = performance.now();
      const summary = await runTick(deps);
      const wallMs = performance.now() - started;
      const calls = emulator.calls() - callsBefore;
      const acted = summary.evaluated.filter((e) => e.outcome !== 'none').length;
      checkTarget({ name: `ARM+Monitor calls per pool per idle tick (${maxConcurrentPools} at once)`, value: calls / POOLS, atMost: TARGET_CALLS_PER_POOL, unit: 'calls' });
      rows.push([String(maxConcurrentPools), `${(wallMs / 1000).toFixed(2)} s`, `${(wallMs / POOLS).toFixed(1)} ms`, String(calls), (calls / POOLS).toFixed(2), `${((calls / POOLS) / TARGET_CALLS_PER_POOL).toFixed(2)}×`, String(acted)]);
    }

    // decide() alone over the same observations, to show how little of the tick is the decision.
    const config = loadConfig({ AzureWebJobsStorage: azurite.connectionString, DSVMPOOL_CREDENTIAL: 'emulator', DSVMPOOL_ARM_ENDPOINT: emulator.url, DSVMPOOL_TLS_CA_FILE: caFile });
    const deps = autoscaleDepsFromConfig(config);
    const now = emulator.clock.now();
    const target = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-bench/providers/Microsoft.Compute/virtualMachineScaleSets/pool-0';
    const policy = parseVmssPolicy({ kind: 'vmss', target, minInstances: VMS, maxInstances: VMS });
    if (!policy.ok) throw new Error('probe policy invalid');
    const observation = await observePool('pool-0', policy.value as VmssPolicy, deps.scaleSets(target), deps.metrics, now, {});
    const decideRuns = 10_000;
    const t0 = performance.now();
    for (let i = 0; i < decideRuns; i++) decide(policy.value, observation, now, {});
    const decideUs = ((performance.now() - t0) * 1000) / decideRuns;

    log(`one autoscale tick, ${POOLS} pools × ${VMS} VMs, nothing to change (emulator + Azurite in this process)`);
    log('| max concurrent pools | tick wall time | per pool | ARM+Monitor calls | calls per pool | vs target 3 | pools that acted |');
    log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) log(`| ${r.join(' | ')} |`);
    log(`decide() alone for one ${VMS}-VM pool: ${decideUs.toFixed(1)} µs (${observation.instances.length} instances observed)`);
  } finally {
    installClock(undefined);
    await emulator.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
