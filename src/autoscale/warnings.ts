// Health warnings a person should look at; shown in the status API and stored with each scale event.
import type { InstanceView } from './instance-view.js';
import type { VmssPolicy } from './policy.js';

const MINUTE = 60_000;

export function warningsFor(views: InstanceView[], now: Date, policy: VmssPolicy, active: number): string[] {
  const warnings: string[] = [];
  for (const { vm, known } of views) {
    const id = vm.instanceId;
    if (vm.state === 'running' && !known) {
      const last = vm.sessions.lastSampleAt;
      warnings.push(
        last
          ? `VM ${id}: no session data for ${Math.floor((now.getTime() - last.getTime()) / MINUTE)} min; counted as busy`
          : `VM ${id}: no session data (booting, or its session reporter is not running); counted as busy`,
      );
    }
    if (vm.state === 'stopped') warnings.push(`VM ${id}: stopped but not deallocated, so still billed for compute; deallocated once stopped for ${policy.deallocateStoppedAfterMinutes} min`);
    if (vm.state === 'failed') warnings.push(`VM ${id}: provisioning failed; it gives no seats`);
  }
  const sessions = views.reduce((n, v) => n + (v.known && v.vm.state === 'running' ? v.vm.sessions.latest : 0), 0);
  const seats = policy.maxInstances * policy.seatsPerInstance;
  if (active >= policy.maxInstances && sessions > seats) {
    warnings.push(`${sessions} sessions on ${seats} seats: maxInstances ${policy.maxInstances} × seatsPerInstance ${policy.seatsPerInstance} caps the pool, so VMs are crowded; raise maxInstances to add VMs`);
  }
  if (active > policy.maxInstances) {
    warnings.push(`${active} VMs running or starting, above maxInstances ${policy.maxInstances}; only idle VMs are removed`);
  }
  return warnings;
}
