// Counts what a controller does to the pool: VM operations, scale actions (one per evaluation that scaled out
// or in) and flaps (a scale-out soon after a scale-in: the removed capacity was needed again).
import type { PoolInstance, VmPoolPort } from './vm-pool.port.js';

export class ActionRecorder {
  readonly operations = { created: 0, started: 0, deallocated: 0, deleted: 0 };
  readonly scaleActions = { out: 0, in: 0 };
  flaps = 0;
  private scaledOut = false;
  private scaledIn = false;
  private lastScaleInAt = -Infinity;

  constructor(private readonly flapWindowMs: number) {}

  /** The port a controller acts on: the real pool, with every action counted. */
  wrap(pool: VmPoolPort): VmPoolPort {
    return {
      advanceTo: (t) => pool.advanceTo(t),
      instances: () => pool.instances(),
      capacity: () => pool.capacity(),
      openSessionOn: (sessionId, kind, instanceId) => pool.openSessionOn(sessionId, kind, instanceId),
      placedSessions: () => pool.placedSessions(),
      setCapacity: (capacity) => {
        const before = pool.capacity();
        pool.setCapacity(capacity);
        if (capacity > before) {
          this.operations.created += capacity - before;
          this.scaledOut = true;
        } else if (capacity < before) {
          this.operations.deleted += before - capacity;
          this.scaledIn = true;
        }
      },
      start: (ids) => {
        const startable = countIn(pool.instances(), ids, (i) => i.state === 'deallocated' || i.state === 'stopped');
        pool.start(ids);
        this.operations.started += startable;
        if (startable > 0) this.scaledOut = true;
      },
      deallocate: (ids) => {
        pool.deallocate(ids);
        this.operations.deallocated += ids.length;
        if (ids.length > 0) this.scaledIn = true;
      },
      delete: (ids) => {
        // Deleting a VM that is already deallocated frees a disk, not capacity: not a scale-in.
        const active = countIn(pool.instances(), ids, (i) => i.state !== 'deallocated');
        pool.delete(ids);
        this.operations.deleted += ids.length;
        if (active > 0) this.scaledIn = true;
      },
      setProtection: (ids, protect) => pool.setProtection(ids, protect),
      drain: (id) => pool.drain(id),
      undrain: (id) => pool.undrain(id),
      openSession: (id, kind) => pool.openSession(id, kind),
      closeSession: (id) => pool.closeSession(id),
      drainKilled: () => pool.drainKilled(),
      nextChangeAt: () => pool.nextChangeAt(),
    };
  }

  /** Closes one evaluation: tallies whether it scaled out or in, and whether that out undid a recent in. */
  settle(now: number): void {
    if (this.scaledOut) {
      this.scaleActions.out++;
      if (now - this.lastScaleInAt <= this.flapWindowMs) this.flaps++;
    }
    if (this.scaledIn) {
      this.scaleActions.in++;
      this.lastScaleInAt = now;
    }
    this.scaledOut = false;
    this.scaledIn = false;
  }
}

function countIn(instances: readonly PoolInstance[], ids: readonly string[], when: (i: PoolInstance) => boolean): number {
  const wanted = new Set(ids);
  return instances.filter((i) => wanted.has(i.instanceId) && when(i)).length;
}
