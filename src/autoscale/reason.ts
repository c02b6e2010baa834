// The one sentence every plan carries, e.g. "2 of 3 VMs idle 25 min ≥ 20; keeping 1 for 1 session + 2 spare
// seats; deallocating 2 and 3". Written for the admin reading the event log, not for a parser.
import type { InstanceView } from './instance-view.js';
import type { VmssPolicy } from './policy.js';
import type { ScalePlan } from './scale-plan.js';

/** "2", "2 and 3", "2, 3 and 4". */
export function idList(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function needWhy(plan: ScalePlan, policy: VmssPolicy): string {
  const { sessions, demand, floor, floorSource, reserved = 0, waiting = 0, unknownFull = 0, overSeats = 0 } = plan.figures;
  const people = [
    sessions > 0 ? count(sessions, 'session') : '',
    reserved > 0 ? count(reserved, 'reserved seat') : '',
    waiting > 0 ? `${count(waiting, 'person', 'people')} waiting` : '',
    unknownFull > 0 ? `${count(unknownFull, 'VM')} with unknown sessions counted full` : '',
  ].filter(Boolean);
  const past = overSeats > 0 ? ` − ${overSeats} past their VM's seats (no other VM would seat them)` : '';
  if (demand >= floor && people.length > 0) return `${people.join(' + ')}${past} + ${count(policy.spareSeats, 'spare seat')}`;
  if (floor > 0) return floorSource;
  return policy.scaleToZero ? 'nobody is on' : 'scaleToZero=false';
}

function actions(plan: ScalePlan, policy: VmssPolicy, views: InstanceView[]): string[] {
  const parts: string[] = [];
  const stopped = new Set(views.filter((v) => v.vm.state === 'stopped').map((v) => v.vm.instanceId));
  const parking = plan.deallocate.filter((id) => stopped.has(id));
  if (parking.length) parts.push(`deallocating stopped ${idList(parking)} (stopped but still allocated for ${policy.deallocateStoppedAfterMinutes} min or more, so still billed)`);
  if (plan.start.length) parts.push(`starting ${idList(plan.start)}`);
  if (plan.newCapacity !== undefined) {
    const added = plan.targetActive - plan.figures.active - plan.start.length;
    parts.push(`adding ${count(added, 'new VM')} (capacity ${plan.newCapacity - added} → ${plan.newCapacity})`);
  }
  const idleGoing = plan.deallocate.filter((id) => !stopped.has(id));
  if (idleGoing.length) parts.push(`deallocating ${idList(idleGoing)}`);
  if (plan.delete.length) {
    const overflow = policy.scaleInAction === 'deallocate' ? ` (over maxDeallocated ${policy.maxDeallocated})` : '';
    parts.push(`deleting ${idList(plan.delete)}${overflow}`);
  }
  if (plan.protect.length) parts.push(`protecting busy ${idList(plan.protect)}`);
  if (plan.unprotect.length) parts.push(`unprotecting idle ${idList(plan.unprotect)}`);
  return parts;
}

/** "keeping 1 for 1 session + 0 spare seats", or why VMs beyond the need stay: never "keeping 3 for nobody is on". */
function keeping(plan: ScalePlan, policy: VmssPolicy, keep: number): string {
  const f = plan.figures;
  const need = Math.min(policy.maxInstances, Math.max(f.demand, f.floor));
  if (keep <= need) return `keeping ${keep} for ${needWhy(plan, policy)}`;
  const rest = `${keep - need} in use or not idle for ${policy.idleMinutesBeforeScaleIn} min yet`;
  return need > 0 ? `keeping ${keep}: ${need} for ${needWhy(plan, policy)}, ${rest}` : `keeping ${keep} (${rest})`;
}

export function reasonFor(plan: ScalePlan, policy: VmssPolicy, idle: InstanceView[], views: InstanceView[]): string {
  const f = plan.figures;
  const running = views.filter((v) => v.vm.state === 'running').length;
  const keep = plan.targetActive;
  const acts = actions(plan, policy, views);
  const tail = acts.length ? `; ${acts.join('; ')}` : '';
  if (plan.direction === 'out') {
    const why = needWhy(plan, policy);
    const anyone = f.sessions + (f.reserved ?? 0) + (f.waiting ?? 0) + (f.unknownFull ?? 0) > 0;
    const verb = f.demand >= f.floor && anyone ? 'need' : 'needs';
    return `${why} ${verb} ${count(Math.max(f.demand, f.floor), 'VM')}; ${f.active} running or starting${tail}`;
  }
  const removingIdle = [...plan.deallocate, ...plan.delete].some((id) => idle.some((v) => v.vm.instanceId === id));
  if (plan.direction === 'in' && removingIdle) {
    const minIdle = Math.min(...idle.map((v) => v.idleMinutes));
    return `${idle.length} of ${count(running, 'VM')} idle ${minIdle} min ≥ ${policy.idleMinutesBeforeScaleIn}; ${keeping(plan, policy, keep)}${tail}`;
  }
  const need = Math.min(policy.maxInstances, Math.max(f.demand, f.floor));
  let state = need === 0 ? `nobody is on and nothing keeps a VM warm; ${f.active} running or starting` : `${need} needed for ${needWhy(plan, policy)}; ${f.active} running or starting`;
  if (f.heldBy === 'scale-out-cooldown') state += `; scale-out held by the ${policy.scaleOutCooldownMinutes}-min cooldown`;
  else if (f.heldBy === 'scale-in-cooldown') state += `; scale-in held by the ${policy.scaleInCooldownMinutes}-min cooldown`;
  else if (f.heldBy === 'scale-set-busy') state += '; the scale set is still busy with an operation, so waiting for it to finish';
  else if (need < f.active && idle.length === 0) state += `; none idle for ${policy.idleMinutesBeforeScaleIn} min yet`;
  return `${state}${tail || '; nothing to do'}`;
}
