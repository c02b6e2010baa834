// How decide() reads one observed instance: is it capacity, is it busy, has it been idle for the whole window.
import type { InstanceObservation } from './observation.js';

const MINUTE = 60_000;
/** A running VM whose newest sample is older than this has unknown sessions (its reporter posts every minute). */
export const STALE_SESSION_DATA_MINUTES = 5;

/**
 * A running VM with unknown sessions counts as full (seatsPerInstance) demand once it has run this long without a
 * report: before that it is just booting its reporter. Without a known running-since, a VM that had data and lost it.
 */
export function unknownIsFull(v: InstanceView, now: Date): boolean {
  if (v.vm.state !== 'running' || v.known || v.vm.reported !== undefined) return false;
  if (v.vm.runningSince) return now.getTime() - v.vm.runningSince.getTime() > STALE_SESSION_DATA_MINUTES * MINUTE;
  return v.vm.sessions.hasData;
}

export interface InstanceView {
  vm: InstanceObservation;
  /** Sessions are known: data in the window and a fresh newest sample. */
  known: boolean;
  /** Whole minutes the VM has had 0 sessions (0 when busy or unknown). */
  idleMinutes: number;
  idleForWindow: boolean;
  /** Should carry protectFromScaleIn: it has a session now, or its sessions are unknown. */
  busy: boolean;
}

export function viewOf(vm: InstanceObservation, now: Date, idleWindowMinutes: number): InstanceView {
  const s = vm.sessions;
  const fresh = s.hasData && s.lastSampleAt !== undefined && now.getTime() - s.lastSampleAt.getTime() <= STALE_SESSION_DATA_MINUTES * MINUTE;
  const known = vm.state === 'running' ? fresh : s.hasData;
  let idleMinutes = 0;
  if (known && s.latest === 0) {
    // A sample at t covers the minute [t, t+1): idle time starts one minute after the last busy sample.
    const busyInWindowWithoutTime = s.maxInWindow > 0 && s.lastBusyAt === undefined;
    // Idle time starts after the last busy minute, and never before the VM last came back (a VM restarted from
    // deallocated was idle before it went away; that time is not idle time of this run).
    const back = (s.unbrokenSince ?? s.firstSampleAt)?.getTime();
    const afterBusy = s.lastBusyAt ? s.lastBusyAt.getTime() + MINUTE : undefined;
    const idleSince = afterBusy !== undefined && back !== undefined ? Math.max(afterBusy, back) : (afterBusy ?? back);
    if (!busyInWindowWithoutTime && idleSince !== undefined) idleMinutes = Math.max(0, Math.floor((now.getTime() - idleSince) / MINUTE));
  }
  // A seat the broker holds, or a session the VM's own report shows, makes the VM busy whatever the metric says.
  const held = (vm.reserved ?? 0) > 0 || (vm.reported ?? 0) > 0;
  return {
    vm,
    known,
    idleMinutes: held ? 0 : idleMinutes,
    idleForWindow: vm.state === 'running' && known && s.latest === 0 && !held && idleMinutes >= idleWindowMinutes,
    busy: vm.state === 'running' && (!known || s.latest > 0 || held),
  };
}

/** Instance ids sort numerically where they are numbers (Azure's are), so "10" follows "9". */
export function byInstanceId(a: InstanceObservation, b: InstanceObservation): number {
  const na = Number(a.instanceId);
  const nb = Number(b.instanceId);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.instanceId.localeCompare(b.instanceId);
}
