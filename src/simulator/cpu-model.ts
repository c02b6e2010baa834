// Percentage CPU of a VM from its sessions, for the CPU-autoscale baseline. The mean uses the emulator's own
// coefficients (2 % idle, +18 % per Jupyter session, +6 % per SSH session, capped at 100); on top, seeded noise
// (sd 4 % plus 3 % per session) stands for the bursts of notebooks and builds.
import type { SeededRandom } from './seeded-random.js';
import type { PoolInstance } from './vm-pool.port.js';

export function cpuPercent(instance: PoolInstance, random: SeededRandom): number {
  const mean = 2 + 18 * instance.sessionsByKind.jupyter + 6 * instance.sessionsByKind.ssh;
  const noisy = random.normal(mean, 4 + 3 * instance.sessions);
  return Math.min(100, Math.max(0, noisy));
}
