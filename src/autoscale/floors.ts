// The lowest number of VMs a pool may have at a moment: minInstances, schedule windows, a pending wake and the
// scaleToZero switch. Each floor says where it comes from so reasons can name it.
import type { ScaleHistory } from './observation.js';
import type { VmssPolicy } from './policy.js';
import { scheduleFloor } from './schedule.js';

export interface Floor {
  floor: number;
  source: string;
}

const MINUTE = 60_000;

export function floorAt(policy: VmssPolicy, history: ScaleHistory, at: Date): Floor {
  let best: Floor = { floor: 0, source: 'nothing' };
  const raise = (floor: number, source: string) => {
    if (floor > best.floor) best = { floor, source };
  };
  raise(policy.scaleToZero ? 0 : 1, 'scaleToZero=false');
  raise(policy.minInstances, `minInstances ${policy.minInstances}`);
  const s = scheduleFloor(policy.schedules, at);
  if (s.window) {
    const w = s.window;
    raise(s.floor, `schedule ${w.name ? `"${w.name}" ` : ''}${w.from}–${w.to} ${w.timeZone}`);
  }
  if (history.lastWakeAt && at.getTime() - history.lastWakeAt.getTime() < policy.wakeHoldMinutes * MINUTE) {
    raise(1, 'a wake request');
  }
  return { floor: Math.min(best.floor, policy.maxInstances), source: best.source };
}

/**
 * The highest floor from `now` through `now + lookaheadMinutes`. Scale-in honours it so it never removes a VM that a
 * schedule window starting in the next minutes would bring straight back. Window edges fall on whole local minutes,
 * so checking every minute boundary covers every window start.
 */
export function highestFloorAhead(policy: VmssPolicy, history: ScaleHistory, now: Date, lookaheadMinutes: number): Floor {
  let best = floorAt(policy, history, now);
  // Only schedules can rise later; minInstances and scaleToZero are constant and a wake only expires.
  if (policy.schedules.length === 0) return best;
  const firstBoundary = Math.ceil(now.getTime() / MINUTE) * MINUTE;
  for (let t = firstBoundary; t <= now.getTime() + lookaheadMinutes * MINUTE; t += MINUTE) {
    const f = floorAt(policy, history, new Date(t));
    if (f.floor > best.floor) best = f;
  }
  return best;
}
