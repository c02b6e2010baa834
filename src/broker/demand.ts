// What the broker adds to an evaluation's observation: seats held per VM and people waiting. Both are demand for
// decide() at once, before any session reaches the metric.
import type { PoolPartition } from './broker-store.port.js';
import type { ViewInstance } from './pool-view.js';
import { holding, isLive } from './reservation.js';

export interface BrokerDemand {
  /** Live, unconsumed reservations per instance id. */
  reservedByInstance: Map<string, number>;
  /** Live waiting users who hold no live reservation. */
  waiting: number;
}

/**
 * `fresh`: the sessions each VM's newest report names, by instance id (fresher than the previous view); a VM missing
 * from it is judged by the previous view.
 */
export function brokerDemand(partition: PoolPartition, now: Date, fresh: ReadonlyMap<string, Pick<ViewInstance, 'sessions'>> = new Map()): BrokerDemand {
  const vms = new Map<string, Pick<ViewInstance, 'sessions'>>((partition.view?.instances ?? []).map((vm) => [vm.instanceId, vm]));
  for (const [id, vm] of fresh) vms.set(id, vm);
  const reservedByInstance = new Map<string, number>();
  const holders = new Set<string>();
  for (const seats of partition.seats) {
    const held = holding(seats, vms.get(seats.instanceId), now);
    if (held.length > 0) reservedByInstance.set(seats.instanceId, held.length);
    for (const r of seats.reservations) if (isLive(r, now)) holders.add(r.user);
  }
  const waiting = partition.waiting.filter((w) => isLive(w, now) && !holders.has(w.user)).length;
  return { reservedByInstance, waiting };
}
