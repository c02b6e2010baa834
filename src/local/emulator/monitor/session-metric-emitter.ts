// What every VM's session reporter does, done by the emulator for its simulated VMs: each simulated minute, each
// running VM whose reporter works posts DSVMPool/ActiveSessions per kind (0 when nobody is on); booting and
// deallocated VMs post nothing. Alongside, the platform metric "Percentage CPU" per VM.
import { SESSION_METRIC } from '../../../autoscale/session-metric.js';
import type { PoolModel } from '../compute/pool-model.js';
import type { ScaleSetRegistry } from '../compute/scale-set-registry.js';
import type { MetricStore } from './metric-store.js';
import { VM_NAME_DIMENSION, VMSS_PLATFORM_NAMESPACE } from './platform-metrics.js';

export class SessionMetricEmitter {
  private lastMinuteMs: number;

  constructor(
    private readonly registry: ScaleSetRegistry,
    private readonly store: MetricStore,
    startMs: number,
  ) {
    this.lastMinuteMs = Math.floor(startMs / 60_000) * 60_000;
  }

  /** Catches up to `nowMs`: every minute boundary passed gets one sample per VM, from the state at that minute. */
  advanceTo(nowMs: number): void {
    for (let m = this.lastMinuteMs + 60_000; m <= nowMs; m += 60_000) {
      for (const r of this.registry.all()) {
        r.model.advance(m);
        // A reporter's post at the end of a minute lands in that minute's bucket.
        this.emit(r.id, r.name, r.model, m - 1);
      }
      this.lastMinuteMs = m;
      if (m % 3600_000 === 0) this.store.prune(m);
    }
    for (const r of this.registry.all()) r.model.advance(nowMs);
  }

  restart(nowMs: number): void {
    this.lastMinuteMs = Math.floor(nowMs / 60_000) * 60_000;
  }

  private emit(resourceId: string, name: string, model: PoolModel, atMs: number): void {
    for (const i of model.instances()) {
      const cpu = model.cpuPercent(i.instanceId);
      if (cpu !== undefined) {
        this.store.add({ resourceId, namespace: VMSS_PLATFORM_NAMESPACE, metric: 'Percentage CPU', dims: { [VM_NAME_DIMENSION]: `${name}_${i.instanceId}` }, timeMs: atMs, min: cpu, max: cpu, sum: cpu, count: 1 });
      }
      if (i.state !== 'running' || !i.reporting) continue;
      for (const kind of SESSION_METRIC.kinds) {
        const v = i.sessions[kind];
        this.store.add({
          resourceId, namespace: SESSION_METRIC.namespace, metric: SESSION_METRIC.name,
          dims: { [SESSION_METRIC.instanceDimension]: i.instanceId, [SESSION_METRIC.kindDimension]: kind },
          timeMs: atMs, min: v, max: v, sum: v, count: 1,
        });
      }
    }
  }
}
