// decide(): the pure heart of autoscale. Given a policy, what was observed, the time and the recent history, it
// returns what to do and one sentence saying why. No I/O and no clock: the simulator replays weeks through it.
import { highestFloorAhead, floorAt } from './floors.js';
import { byInstanceId, unknownIsFull, viewOf, type InstanceView } from './instance-view.js';
import { COMING_OR_RUNNING, STARTABLE, type PoolObservation, type ScaleHistory } from './observation.js';
import type { VmssPolicy } from './policy.js';
import { reasonFor } from './reason.js';
import { isBusyScaleSet, isStuck, stuckWarning } from './scale-set-busy.js';
import type { PlanFigures, ScalePlan } from './scale-plan.js';
import { warningsFor } from './warnings.js';

const MINUTE = 60_000;
/** Scale-in keeps every VM a schedule window will want within this many minutes (no remove-then-restart). */
export const SCALE_IN_LOOKAHEAD_MINUTES = 15;

export function decide(policy: VmssPolicy, observation: PoolObservation, now: Date, history: ScaleHistory): ScalePlan {
  const views = [...observation.instances].sort(byInstanceId).map((vm) => viewOf(vm, now, policy.idleMinutesBeforeScaleIn));
  const running = views.filter((v) => v.vm.state === 'running');
  const listed = views.filter((v) => v.vm.state !== 'deleting').length;
  // VMs the scale set was asked for but has not listed yet are coming capacity too (never ask twice).
  const notYetListed = Math.max(0, observation.capacity - listed);
  const active = views.filter((v) => COMING_OR_RUNNING.has(v.vm.state)).length + notYetListed;
  const coming = views.filter((v) => COMING_OR_RUNNING.has(v.vm.state));
  // The VM's own report is fresher than the metric; take the higher of the two, never less than either.
  const sessionsOn = (v: InstanceView) => Math.max(v.known ? v.vm.sessions.latest : 0, v.vm.reported ?? 0);
  const sessions = coming.reduce((sum, v) => sum + sessionsOn(v), 0);
  // People the broker placed (seats held) or could not place yet are demand at once, and so is a VM whose sessions
  // are unknown for longer than a boot: it counts as full.
  const reserved = coming.reduce((sum, v) => sum + (v.vm.reserved ?? 0), 0);
  const waiting = observation.waiting ?? 0;
  const unknownFull = views.filter((v) => unknownIsFull(v, now)).length;
  // Load past a VM's seats made of users' second sessions beside their own (the broker's affinity, named in the VM's
  // report) is no demand: no session moves, so another VM would seat none of it. Load past the seats from different
  // people (a load balancer's placing) still is: the next people should find room elsewhere.
  const overSeats = coming.reduce(
    (sum, v) => sum + Math.min(v.vm.sharedSessions ?? 0, Math.max(0, sessionsOn(v) + (v.vm.reserved ?? 0) - policy.seatsPerInstance)),
    0,
  );
  const people = sessions + reserved + waiting + unknownFull * policy.seatsPerInstance - overSeats;
  const demand = people > 0 ? Math.ceil((people + policy.spareSeats) / policy.seatsPerInstance) : 0;
  // VMs for people already waiting or holding a seat: no step limit or cooldown holds these back.
  const urgent = reserved + waiting > 0 ? Math.min(policy.maxInstances, Math.ceil(people / policy.seatsPerInstance)) : 0;
  const floorNow = floorAt(policy, history, now);
  const target = Math.min(policy.maxInstances, Math.max(demand, floorNow.floor));
  const idle = running.filter((v) => v.idleForWindow);

  const figures: PlanFigures = {
    sessions,
    ...(reserved > 0 ? { reserved } : {}),
    ...(waiting > 0 ? { waiting } : {}),
    ...(unknownFull > 0 ? { unknownFull } : {}),
    ...(overSeats > 0 ? { overSeats } : {}),
    demand,
    floor: floorNow.floor,
    floorSource: floorNow.source,
    active,
    idleForWindow: idle.length,
    unknown: running.filter((v) => !v.known).length,
  };
  const plan: ScalePlan = {
    pool: observation.pool,
    direction: 'none',
    start: [],
    deallocate: [],
    delete: [],
    protect: [],
    unprotect: [],
    targetActive: active,
    figures,
    warnings: warningsFor(views, now, policy, active),
    reason: '',
  };

  if (isBusyScaleSet(observation.provisioningState)) {
    // The scale set runs one operation at a time: anything now would be refused (409). Decide again next tick.
    if (target !== active) figures.heldBy = 'scale-set-busy';
    if (observation.busySince && isStuck(observation.busySince, now)) plan.warnings.push(stuckWarning(observation.provisioningState, observation.busySince));
    plan.reason = reasonFor(plan, policy, idle, views);
    return plan;
  }
  if (target > active) {
    planScaleOut(plan, policy, observation, views, now, history, target, urgent);
  } else if (target < active) {
    const ahead = highestFloorAhead(policy, history, now, SCALE_IN_LOOKAHEAD_MINUTES);
    const keep = Math.min(policy.maxInstances, Math.max(demand, ahead.floor));
    if (ahead.floor > floorNow.floor) {
      figures.floor = ahead.floor;
      figures.floorSource = `${ahead.source} (starting soon)`;
    }
    if (keep < active) planScaleIn(plan, policy, views, idle, now, history, active - keep);
  }
  parkStopped(plan, policy, views, now);
  if (plan.direction !== 'out') trimDeallocated(plan, policy, views);
  planProtection(plan, running);
  plan.reason = reasonFor(plan, policy, idle, views);
  return plan;
}

function cooling(last: Date | undefined, minutes: number, now: Date): boolean {
  return last !== undefined && now.getTime() - last.getTime() < minutes * MINUTE;
}

function planScaleOut(
  plan: ScalePlan,
  policy: VmssPolicy,
  observation: PoolObservation,
  views: InstanceView[],
  now: Date,
  history: ScaleHistory,
  target: number,
  urgent: number,
): void {
  // Nothing running or coming means someone is waiting on an empty pool: the cooldown does not apply. Neither does
  // it, nor the step limit, to VMs for people the broker has placed or queued (urgent).
  const active = plan.figures.active;
  const forPeople = Math.max(0, urgent - active);
  if (forPeople === 0 && active > 0 && cooling(history.lastScaleOutAt, policy.scaleOutCooldownMinutes, now)) {
    plan.figures.heldBy = 'scale-out-cooldown';
    return;
  }
  const paced = cooling(history.lastScaleOutAt, policy.scaleOutCooldownMinutes, now) && active > 0 ? 0 : Math.min(target - active, policy.maxScaleOutStep);
  const step = Math.max(paced, forPeople);
  // Deallocated VMs first: they keep their disks and start in about a minute.
  plan.start = views.filter((v) => STARTABLE.has(v.vm.state)).slice(0, step).map((v) => v.vm.instanceId);
  const add = step - plan.start.length;
  if (add > 0) plan.newCapacity = observation.capacity + add;
  plan.direction = 'out';
  plan.targetActive = plan.figures.active + step;
}

function planScaleIn(
  plan: ScalePlan,
  policy: VmssPolicy,
  views: InstanceView[],
  idle: InstanceView[],
  now: Date,
  history: ScaleHistory,
  surplus: number,
): void {
  if (idle.length === 0) return;
  const lastAction = [history.lastScaleInAt, history.lastScaleOutAt]
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (cooling(lastAction, policy.scaleInCooldownMinutes, now)) {
    plan.figures.heldBy = 'scale-in-cooldown';
    return;
  }
  // Newest VMs go first, so the pool's long-lived VMs (warm caches, familiar hosts) stay.
  const going = idle.slice(-surplus).map((v) => v.vm.instanceId);
  if (policy.scaleInAction === 'delete') {
    plan.delete = going;
  } else {
    const parked = views.filter((v) => v.vm.state === 'deallocated' || v.vm.state === 'deallocating').length;
    const room = Math.max(0, policy.maxDeallocated - parked);
    plan.deallocate = going.slice(0, room);
    plan.delete = going.slice(room);
  }
  plan.direction = 'in';
  plan.targetActive = plan.figures.active - going.length;
}

/**
 * A VM stopped but still allocated (powered off from inside, or a power-off call) is billed like a running one and
 * serves nobody: deallocate it once it has been stopped for the policy's grace. Its reporter stopped posting when it
 * stopped, so the last sample dates the stop; no sample in the window (which covers the grace) means longer ago.
 * A scale-out that starts it instead takes precedence.
 */
function parkStopped(plan: ScalePlan, policy: VmssPolicy, views: InstanceView[], now: Date): void {
  const starting = new Set(plan.start);
  const due = views.filter((v) => {
    if (v.vm.state !== 'stopped' || starting.has(v.vm.instanceId)) return false;
    const last = v.vm.sessions.lastSampleAt;
    return last === undefined || now.getTime() - last.getTime() >= policy.deallocateStoppedAfterMinutes * MINUTE;
  });
  if (due.length === 0) return;
  plan.deallocate = [...plan.deallocate, ...due.map((v) => v.vm.instanceId)];
  if (plan.direction === 'none') plan.direction = 'in';
}

/** Deallocated VMs beyond maxDeallocated only cost disk: delete the newest of them. */
function trimDeallocated(plan: ScalePlan, policy: VmssPolicy, views: InstanceView[]): void {
  const parked = views.filter((v) => v.vm.state === 'deallocated');
  const parking = views.filter((v) => v.vm.state === 'deallocating').length + plan.deallocate.length;
  const excess = parked.length + parking - policy.maxDeallocated;
  if (excess <= 0) return;
  plan.delete = [...plan.delete, ...parked.slice(-Math.min(excess, parked.length)).map((v) => v.vm.instanceId)];
  if (plan.direction === 'none') plan.direction = 'in';
}

/** Busy VMs carry protectFromScaleIn so no other actor removes them; VMs idle for the whole window lose it. */
function planProtection(plan: ScalePlan, running: InstanceView[]): void {
  const leaving = new Set([...plan.deallocate, ...plan.delete]);
  for (const v of running) {
    if (leaving.has(v.vm.instanceId)) continue;
    if (v.busy && !v.vm.protectFromScaleIn) plan.protect.push(v.vm.instanceId);
    if (v.idleForWindow && v.vm.protectFromScaleIn) plan.unprotect.push(v.vm.instanceId);
  }
}
