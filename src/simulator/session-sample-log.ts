// The simulated DSVMPool/ActiveSessions metric: each running VM's reporter posts its session count once a minute,
// and the observe step reads, per instance, the newest value and the maximum over the window. A VM that is not
// running posts nothing, so a booting VM has no data, exactly as in Azure Monitor.
import type { InstanceSessions } from '../autoscale/observation.js';
import { unbrokenSince } from '../autoscale/session-metric.js';
import type { PoolInstance } from './vm-pool.port.js';

interface Sample {
  t: number;
  value: number;
}

export class SessionSampleLog {
  private readonly byInstance = new Map<string, Sample[]>();

  constructor(private readonly retainMs: number) {}

  /** One reporter post per running VM, at `now`. */
  record(now: number, instances: readonly PoolInstance[]): void {
    for (const i of instances) {
      if (i.state !== 'running') continue;
      let samples = this.byInstance.get(i.instanceId);
      if (!samples) this.byInstance.set(i.instanceId, (samples = []));
      samples.push({ t: now, value: i.sessions });
      while (samples.length > 0 && (samples[0] as Sample).t < now - this.retainMs) samples.shift();
    }
  }

  /**
   * What metrics.list (aggregation Maximum, PT1M) returns for one instance over [now − windowMs, now], seeing only
   * samples posted at least `delayMs` ago (ingestion latency).
   */
  read(instanceId: string, now: number, windowMs: number, delayMs = 0): InstanceSessions {
    const inWindow = (this.byInstance.get(instanceId) ?? []).filter((s) => s.t >= now - windowMs && s.t <= now - delayMs);
    const first = inWindow[0];
    const last = inWindow[inWindow.length - 1];
    if (!first || !last) return { hasData: false, latest: 0, maxInWindow: 0 };
    let max = 0;
    let lastBusy: Sample | undefined;
    for (const s of inWindow) {
      max = Math.max(max, s.value);
      if (s.value > 0) lastBusy = s;
    }
    return {
      hasData: true,
      latest: last.value,
      maxInWindow: max,
      firstSampleAt: new Date(first.t),
      lastSampleAt: new Date(last.t),
      unbrokenSince: new Date(unbrokenSince(inWindow.map((x) => x.t))!),
      ...(lastBusy ? { lastBusyAt: new Date(lastBusy.t) } : {}),
    };
  }
}
