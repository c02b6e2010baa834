// A mass scale-in: 50 pools each remove one idle VM in the same tick, so 50 drains (Run Command) run at once, with
// Run Command taking 3 s and 30 s (Azure: 20-60 s). The emulator ends a deallocate when the VM has deallocated (as
// Azure does), after the tick, which returns once it is accepted; a second tick a period later observes the VMs. Before, drains ran inside the pool slots (8 at a time), so the
// tick took ⌈pools/8⌉ drains deep; now they have their own bound. Prints the tick's wall time against the 60 s timer
// period. Emulator (real SDK clients over HTTPS) and Azurite in this process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { parseVmssPolicy, vmssPolicyToRow } from '../../src/autoscale/policy.js';
import { runTick } from '../../src/autoscale/tick.js';
import { installClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createAppStorage } from '../../src/local/app-storage.js';
import { startAzurite } from '../../src/local/azurite.js';
import { startEmulator } from '../../src/local/emulator/index.js';
import { autoscaleDepsFromConfig } from '../../src/services/autoscale.js';

const POOLS = 50;
const TIMER_PERIOD_S = 60;
const MAX_CONCURRENT_POOLS = 8;

interface Case {
  runCommandSeconds: number;
  maxConcurrentDrains: number;
  label: string;
}

const CASES: Case[] = [
  { runCommandSeconds: 3, maxConcurrentDrains: MAX_CONCURRENT_POOLS, label: `drains bounded at ${MAX_CONCURRENT_POOLS} (as deep as before: ⌈pools/8⌉)` },
  { runCommandSeconds: 3, maxConcurrentDrains: 50, label: 'drains bounded at 50 (the default)' },
  { runCommandSeconds: 30, maxConcurrentDrains: 50, label: 'drains bounded at 50 (the default)' },
];

export async function bench(): Promise<void> {
  const azurite = await startAzurite();
  const emulator = await startEmulator({ port: 0, vmListPageSize: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-bench-'));
  try {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emulator.caPem);
    await createAppStorage(azurite.connectionString);
    installClock(emulator.clock);
    const policies = TableClient.fromConnectionString(azurite.connectionString, 'policies', { allowInsecureConnection: true });
    const rows: string[][] = [];
    for (const [n, c] of CASES.entries()) {
      // Fresh pools for each case: 2 VMs each, one busy, one idle past the window; the previous case's pools are off.
      for (const e of await listRows(policies)) await policies.upsertEntity({ partitionKey: 'pool', rowKey: e, enabled: false }, 'Merge');
      const ids: string[] = [];
      for (let i = 0; i < POOLS; i++) {
        const target = emulator.compute.createScaleSet({ resourceGroup: 'rg-bench-scale-in', name: `case${n}-pool${i}`, capacity: 2 });
        const parsed = parseVmssPolicy({ kind: 'vmss', target, idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 0, spareSeats: 0, maxDeallocated: 10 });
        if (!parsed.ok) throw new Error('bench policy invalid');
        await policies.upsertEntity({ partitionKey: 'pool', rowKey: `case${n}-pool${i}`, ...vmssPolicyToRow(parsed.value) }, 'Replace');
        ids.push(target);
      }
      emulator.clock.advance(4 * 60_000); // boot
      for (const id of ids) emulator.compute.setSessions(id, '0', { ssh: 1 });
      emulator.clock.advance(12 * 60_000); // VM 1 idle for 12 min
      const fault = emulator.faults.add({ operation: 'compute.vmssvm.runCommand', kind: 'latency', latencyInMs: c.runCommandSeconds * 1000 });
      const config = loadConfig({
        AzureWebJobsStorage: azurite.connectionString, DSVMPOOL_CREDENTIAL: 'emulator', DSVMPOOL_ARM_ENDPOINT: emulator.url, DSVMPOOL_TLS_CA_FILE: caFile,
        DSVMPOOL_MAX_CONCURRENT_POOLS: String(MAX_CONCURRENT_POOLS), DSVMPOOL_MAX_CONCURRENT_DRAINS: String(c.maxConcurrentDrains),
      });
      const deps = { ...autoscaleDepsFromConfig(config), log: () => undefined };
      const started = performance.now();
      const summary = await runTick(deps);
      const wallS = (performance.now() - started) / 1000;
      emulator.faults.remove(fault);
      const accepted = summary.evaluated.filter((e) => e.event?.steps?.some((s) => s.startsWith('deallocate'))).length;
      const failed = summary.evaluated.filter((e) => e.outcome === 'failed').length;
      // The deallocations end when the VMs have deallocated (as in Azure), after the tick: the next tick observes them.
      emulator.clock.advance(TIMER_PERIOD_S * 1000);
      const next = await runTick(deps);
      const deallocated = ids.filter((id) => emulator.compute.instances(id).some((v) => v.state === 'deallocated')).length;
      const settled = next.evaluated.filter((e) => e.event?.settled?.some((s) => s.endsWith('deallocated'))).length;
      rows.push([`${c.runCommandSeconds} s`, c.label, `${wallS.toFixed(1)} s`, `${(wallS / TIMER_PERIOD_S).toFixed(2)}`, wallS < TIMER_PERIOD_S ? 'yes' : 'NO', `${accepted}/${POOLS}`, `${deallocated}/${POOLS}`, `${settled}/${POOLS}`, String(failed)]);
    }
    console.log(`mass scale-in: ${POOLS} pools remove 1 idle VM each in one tick (${POOLS} drains), ${MAX_CONCURRENT_POOLS} pools evaluated at once, timer period ${TIMER_PERIOD_S} s`);
    console.log('| Run Command latency | drains | tick wall time | × timer period | within the period | deallocates accepted in the tick | VMs deallocated a period later | next tick said so | failed |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    const [before, after] = [Number.parseFloat(rows[0]![2]!), Number.parseFloat(rows[1]![2]!)];
    console.log(`at 3 s Run Command: ${(before / after).toFixed(1)}× faster with drains bounded apart from the pools`);
  } finally {
    installClock(undefined);
    await emulator.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function listRows(table: TableClient): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of table.listEntities({ queryOptions: { filter: "PartitionKey eq 'pool'" } })) keys.push(String(e.rowKey));
  return keys;
}
