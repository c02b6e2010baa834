// What every VM's session reporter does, done by the emulator for its simulated VMs: each simulated minute, each
// running VM whose reporter works posts DSVMPool/ActiveSessions per kind (0 when nobody is on); booting and
// deallocated VMs post nothing. Alongside, the platform metric "Percentage CPU" per VM.
import { SESSION_METRIC, type SessionKind } from '../../../autoscale/session-metric.js';
import type { EmulatedInstance } from '../compute/instance.js';
import type { ScaleSetRecord, ScaleSetRegistry } from '../compute/scale-set-registry.js';
import type { MetricStore, StoredSeries } from './metric-store.js';
import { VM_NAME_DIMENSION, VMSS_PLATFORM_NAMESPACE } from './platform-metrics.js';

type InstanceSeries = Partial<Record<SessionKind, StoredSeries>> & { cpu: StoredSeries };

export class SessionMetricEmitter {
  private lastMinuteMs: number;
  // Series handles per instance object, so a minute's emission over thousands of VMs does no key building.
  private handles = new WeakMap<EmulatedInstance, InstanceSeries>();

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
        this.emit(r, m - 1);
      }
      this.lastMinuteMs = m;
      if (m % 3600_000 === 0) this.store.prune(m);
    }
    for (const r of this.registry.all()) r.model.advance(nowMs);
  }

  /** After a reset: forget series handles and start counting minutes from `nowMs`. */
  restart(nowMs: number): void {
    this.lastMinuteMs = Math.floor(nowMs / 60_000) * 60_000;
    this.handles = new WeakMap();
  }

  private emit(r: ScaleSetRecord, timeMs: number): void {
    for (const i of r.model.instances()) {
      const cpu = r.model.cpuPercent(i.instanceId);
      if (cpu === undefined) continue;
      const series = this.seriesOf(r, i);
      this.store.addPoint(series.cpu, { timeMs, min: cpu, max: cpu, sum: cpu, count: 1 });
      if (i.state !== 'running' || !i.reporting) continue;
      for (const kind of SESSION_METRIC.kinds) {
        const v = i.sessions[kind];
        // Created at the first post, so a metric never posted stays unknown to Monitor, as in Azure.
        series[kind] ??= this.store.series(r.id, SESSION_METRIC.namespace, SESSION_METRIC.name, { [SESSION_METRIC.instanceDimension]: i.instanceId, [SESSION_METRIC.kindDimension]: kind });
        this.store.addPoint(series[kind], { timeMs, min: v, max: v, sum: v, count: 1 });
      }
    }
  }

  private seriesOf(r: ScaleSetRecord, i: EmulatedInstance): InstanceSeries {
    let s = this.handles.get(i);
    if (!s) {
      s = { cpu: this.store.series(r.id, VMSS_PLATFORM_NAMESPACE, 'Percentage CPU', { [VM_NAME_DIMENSION]: `${r.name}_${i.instanceId}` }) };
      this.handles.set(i, s);
    }
    return s;
  }
}
