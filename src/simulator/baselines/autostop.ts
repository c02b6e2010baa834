// Baseline: SkyPilot-style autostop. The pool is one cluster of fixed size: it stops (deallocates) as a whole after
// `idleMinutes` with no session, and a user who finds it stopped starts it again as a whole (`sky start`).
import type { Controller, PoolView } from '../controller.js';
import type { VmPoolPort } from '../vm-pool.port.js';

const MINUTE = 60_000;

export function autostop(vms: number, idleMinutes: number): Controller {
  let idleSince: number | undefined;
  const startAll = (pool: VmPoolPort): void => {
    pool.start(pool.instances().filter((i) => i.state === 'deallocated' || i.state === 'stopped').map((i) => i.instanceId));
    if (pool.capacity() < vms) pool.setCapacity(vms);
  };
  return {
    name: 'autostop',
    initialPool: { capacity: vms, running: true },
    tick(now: number, pool: VmPoolPort, view: PoolView) {
      if (view.waitingUsers > 0) {
        idleSince = undefined;
        startAll(pool);
        return;
      }
      if (view.connectedSessions > 0) {
        idleSince = undefined;
        return;
      }
      idleSince ??= now;
      const up = pool.instances().filter((i) => i.state === 'running' || i.state === 'starting' || i.state === 'creating');
      if (up.length > 0 && now - idleSince >= idleMinutes * MINUTE) pool.deallocate(up.map((i) => i.instanceId));
    },
    userWithoutVm(_now: number, pool: VmPoolPort) {
      idleSince = undefined;
      startAll(pool);
    },
  };
}
