// Baseline: Azure Monitor autoscale on the scale set's Percentage CPU, with its documented semantics: the metric
// is averaged over the instances and over a time window (≥ 5 min); a scale-out rule (> 70 %, +1) and a scale-in
// rule (< 30 %, −1); a cooldown after each action; min ≥ 1 (no CPU without a VM, so it cannot scale from zero);
// before a scale-in it checks that the projected average (avg × n / (n − 1)) stays below the scale-out threshold
// ("flapping" guard). Scale-in lowers the capacity and the scale set picks the VM by its scale-in policy
// (Default: highest instance id), whatever its sessions: that is where sessions get killed.
import type { Controller } from '../controller.js';
import { cpuPercent } from '../cpu-model.js';
import { seededRandom } from '../seeded-random.js';
import type { VmPoolPort } from '../vm-pool.port.js';

const MINUTE = 60_000;

export interface CpuAutoscaleRules {
  minInstances: number;
  maxInstances: number;
  /** Time window of the metric average, minutes (Azure requires ≥ 5). */
  windowMinutes: number;
  scaleOutAbovePercent: number;
  scaleInBelowPercent: number;
  cooldownMinutes: number;
}

export const DEFAULT_CPU_RULES: Omit<CpuAutoscaleRules, 'maxInstances'> = {
  minInstances: 1,
  windowMinutes: 10,
  scaleOutAbovePercent: 70,
  scaleInBelowPercent: 30,
  cooldownMinutes: 5,
};

export function cpuAutoscale(rules: CpuAutoscaleRules, seed: number): Controller {
  if (rules.minInstances < 1) throw new RangeError('Azure autoscale needs minInstances ≥ 1: it cannot scale from zero');
  if (rules.windowMinutes < 5) throw new RangeError('Azure autoscale time windows are at least 5 minutes');
  const random = seededRandom(seed).fork('cpu');
  /** Per-minute pool average (over VMs that report), newest last. */
  const samples: { t: number; avg: number }[] = [];
  let lastActionAt = -Infinity;
  return {
    name: 'cpu-autoscale',
    initialPool: { capacity: rules.minInstances, running: true },
    tick(now: number, pool: VmPoolPort) {
      const reporting = pool.instances().filter((i) => i.state === 'running');
      if (reporting.length > 0) {
        const avg = reporting.reduce((sum, i) => sum + cpuPercent(i, random), 0) / reporting.length;
        samples.push({ t: now, avg });
      }
      while (samples.length > 0 && (samples[0]?.t ?? now) <= now - rules.windowMinutes * MINUTE) samples.shift();
      const capacity = pool.capacity();
      if (capacity < rules.minInstances) {
        pool.setCapacity(rules.minInstances);
        lastActionAt = now;
        return;
      }
      if (samples.length === 0 || now - lastActionAt < rules.cooldownMinutes * MINUTE) return;
      const avg = samples.reduce((sum, s) => sum + s.avg, 0) / samples.length;
      if (avg > rules.scaleOutAbovePercent && capacity < rules.maxInstances) {
        pool.setCapacity(capacity + 1);
        lastActionAt = now;
      } else if (avg < rules.scaleInBelowPercent && capacity > rules.minInstances) {
        const projected = (avg * capacity) / (capacity - 1);
        if (projected >= rules.scaleOutAbovePercent) return;
        pool.setCapacity(capacity - 1);
        lastActionAt = now;
      }
    },
  };
}
