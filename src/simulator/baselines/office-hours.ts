// Baseline: a fixed schedule (Automation start/stop, DevTest Labs auto-shutdown): the peak-sized pool runs in
// office hours and is deallocated outside them, whoever is still logged in — those sessions are killed.
import type { ScheduleWindow } from '../../autoscale/schedule.js';
import { windowActive } from '../../autoscale/schedule.js';
import type { Controller } from '../controller.js';
import type { VmPoolPort } from '../vm-pool.port.js';

export interface OfficeHours {
  days: ScheduleWindow['days'];
  from: string;
  to: string;
  /** Office hours apply in each of these zones; the pool runs while any of them is in office hours. */
  timeZones: string[];
}

export const DEFAULT_OFFICE_HOURS: Omit<OfficeHours, 'timeZones'> = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '19:00' };

export function officeHours(vms: number, hours: OfficeHours): Controller {
  const windows: ScheduleWindow[] = hours.timeZones.map((timeZone) => ({ days: hours.days, from: hours.from, to: hours.to, timeZone, minInstances: vms }));
  return {
    name: 'office-hours',
    initialPool: { capacity: vms, running: false },
    init(now: number, pool: VmPoolPort) {
      if (!windows.some((w) => windowActive(w, new Date(now)))) pool.deallocate(pool.instances().map((i) => i.instanceId));
    },
    tick(now: number, pool: VmPoolPort) {
      const open = windows.some((w) => windowActive(w, new Date(now)));
      const instances = pool.instances();
      if (open) {
        pool.start(instances.filter((i) => i.state === 'deallocated' || i.state === 'stopped').map((i) => i.instanceId));
        if (pool.capacity() < vms) pool.setCapacity(vms);
      } else {
        const up = instances.filter((i) => i.state === 'running' || i.state === 'starting' || i.state === 'creating');
        pool.deallocate(up.map((i) => i.instanceId));
      }
    },
  };
}
