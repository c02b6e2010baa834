// What every VM's session reporter does for the broker, done by the emulator for its simulated VMs: each simulated
// minute, each running VM whose reporter works writes its row in the `vmsessions` table (who is on it, counts, drain
// flag), as infra/vm/session_reporter.py does with the VM's managed identity. Writes are asynchronous; flush() awaits them.
import { TableClient } from '@azure/data-tables';
import { reportPartition } from '../../../azure/vm-reports.js';
import type { ScaleSetRecord, ScaleSetRegistry } from './scale-set-registry.js';

export class VmReportWriter {
  private lastMinuteMs: number;
  private pending: Promise<unknown>[] = [];
  private readonly table: TableClient;

  constructor(
    private readonly registry: ScaleSetRegistry,
    connectionString: string,
    startMs: number,
  ) {
    this.table = TableClient.fromConnectionString(connectionString, 'vmsessions', { allowInsecureConnection: true });
    this.lastMinuteMs = Math.floor(startMs / 60_000) * 60_000;
  }

  /** Every minute boundary passed gets one row per reporting VM, from the state at that minute. */
  advanceTo(nowMs: number): void {
    for (let m = this.lastMinuteMs + 60_000; m <= nowMs; m += 60_000) {
      for (const r of this.registry.all()) this.reportAll(r, m);
      this.lastMinuteMs = m;
    }
  }

  /** One VM's row now (the reporter writes at once when it is drained or undrained). */
  reportNow(r: ScaleSetRecord, instanceId: string, nowMs: number): void {
    const i = r.model.get(instanceId);
    if (i && i.state === 'running' && i.reporting) this.write(r, i.instanceId, nowMs);
  }

  /** Resolves when every row written so far has landed. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    await Promise.allSettled(batch);
  }

  private reportAll(r: ScaleSetRecord, atMs: number): void {
    r.model.advance(atMs);
    for (const i of r.model.instances()) if (i.state === 'running' && i.reporting) this.write(r, i.instanceId, atMs);
  }

  private write(r: ScaleSetRecord, instanceId: string, atMs: number): void {
    const i = r.model.get(instanceId)!;
    const entity = {
      partitionKey: reportPartition(r.id),
      rowKey: i.instanceId,
      reportedAt: new Date(atMs).toISOString(),
      sessions: JSON.stringify(i.users ?? []),
      jupyter: i.sessions.jupyter,
      ssh: i.sessions.ssh,
      drained: i.drained === true,
    };
    this.pending.push(this.table.upsertEntity(entity, 'Replace').catch(() => undefined));
  }
}
