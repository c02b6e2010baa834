// Baseline: what most teams do today — the pool sized for the trace's peak, running all week.
import type { Controller } from '../controller.js';
import type { VmPoolPort } from '../vm-pool.port.js';

export function alwaysOn(vms: number): Controller {
  return {
    name: 'always-on',
    initialPool: { capacity: vms, running: true },
    tick(_now: number, pool: VmPoolPort) {
      if (pool.capacity() < vms) pool.setCapacity(vms);
    },
  };
}
