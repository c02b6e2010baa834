// The in-process model of one VM Scale Set (Uniform orchestration): instances with their lifecycle in simulated
// time, capacity, scale-in policy, protection, sessions placed as the load balancer places them, and killed-session
// accounting. Pure apart from its seeded RNG: every method that changes state takes `now`, so a simulator can drive
// it directly (no HTTP, no clock) many thousand times faster than real time.
import type { SessionKind } from '../../../autoscale/session-metric.js';
import { createSeededRandom, type SeededRandom } from '../seeded-random.js';
import { ComputeModelError } from './errors.js';
import { totalSessions, type EmulatedInstance, type InstanceState, type KilledSessions, type KillReason, type Sessions } from './instance.js';
import { DEFAULT_TIMINGS, type CapacityChange, type PoolModelOptions, type PoolTimings, type ScaleInRule } from './pool-options.js';

export { DEFAULT_TIMINGS, type CapacityChange, type PoolModelOptions, type PoolTimings, type ScaleInRule } from './pool-options.js';

type Time = Date | number;
const ms = (t: Time): number => (typeof t === 'number' ? t : t.getTime());

export class PoolModel {
  readonly timings: PoolTimings;
  scaleInRule: ScaleInRule;
  private readonly byId = new Map<string, EmulatedInstance>(); // insertion order = ascending instance id
  private nextInstanceId = 0;
  private nextDueMs: number | undefined;
  private killed = 0;
  private readonly kills: KilledSessions[] = [];
  private readonly random: SeededRandom;

  constructor(options: PoolModelOptions, now: Time) {
    const given = Object.entries(options.timings ?? {}).filter(([, v]) => v !== undefined);
    this.timings = { ...DEFAULT_TIMINGS, ...Object.fromEntries(given) };
    this.scaleInRule = options.scaleInRule ?? 'Default';
    this.random = createSeededRandom(options.seed ?? 1);
    const created = this.setCapacity(options.capacity ?? 0, now).created;
    if (options.startRunning) for (const id of created) this.enter(this.byId.get(id)!, 'running', ms(now), undefined);
    this.recomputeNextDue();
  }

  /** Instances that exist (including deallocated ones, excluding those being deleted): what `sku.capacity` counts. */
  get capacity(): number {
    let n = 0;
    for (const i of this.byId.values()) if (i.state !== 'deleting') n++;
    return n;
  }

  /** Every instance still present (deleting ones until they are gone), ascending instance id. Do not mutate. */
  instances(): readonly EmulatedInstance[] {
    return [...this.byId.values()];
  }

  get(instanceId: string): EmulatedInstance | undefined {
    return this.byId.get(instanceId);
  }

  /** When the next lifecycle transition is due (simulated epoch ms), if any. */
  nextEventMs(): number | undefined {
    return this.nextDueMs;
  }

  /**
   * When the named instances are all in a steady state again (simulated epoch ms): the latest end of their current
   * transitions, `now` when none is in one. An instance being deleted settles when it is gone.
   */
  settledAtMs(instanceIds: readonly string[], now: Time): number {
    let at = ms(now);
    for (const id of instanceIds) {
      const until = this.byId.get(id)?.untilMs;
      if (until !== undefined && until > at) at = until;
    }
    return at;
  }

  /** Completes every transition due by `now`. O(1) when none is due. */
  advance(now: Time): void {
    const t = ms(now);
    if (this.nextDueMs === undefined || t < this.nextDueMs) return;
    for (const i of [...this.byId.values()]) {
      if (i.untilMs === undefined || i.untilMs > t) continue;
      const at = i.untilMs;
      if (i.state === 'deleting') this.byId.delete(i.instanceId);
      else if (i.state === 'creating' || i.state === 'starting') this.enter(i, 'running', at, undefined);
      else if (i.state === 'deallocating') this.enter(i, 'deallocated', at, undefined);
      else if (i.state === 'stopping') this.enter(i, 'stopped', at, undefined);
    }
    this.recomputeNextDue();
  }

  /** Sets `sku.capacity`: creates new instances (booting), or removes unprotected ones by the scale-in policy. */
  setCapacity(capacity: number, now: Time): CapacityChange {
    if (!Number.isInteger(capacity) || capacity < 0) throw new ComputeModelError('InvalidParameter', `capacity must be a non-negative integer, got ${capacity}`);
    const t = ms(now);
    const live = [...this.byId.values()].filter((i) => i.state !== 'deleting');
    const change: CapacityChange = { created: [], removed: [] };
    for (let n = live.length; n < capacity; n++) {
      const instanceId = String(this.nextInstanceId++);
      const instance: EmulatedInstance = {
        instanceId, state: 'creating', stateSinceMs: t, untilMs: t + this.timings.bootSeconds * 1000, createdMs: t,
        protectFromScaleIn: false, protectFromScaleSetActions: false, sessions: { jupyter: 0, ssh: 0 }, reporting: true,
      };
      this.byId.set(instanceId, instance);
      change.created.push(instanceId);
    }
    if (capacity < live.length) {
      const victims = this.scaleInOrder(live.filter((i) => !i.protectFromScaleIn && !i.protectFromScaleSetActions));
      for (const v of victims.slice(0, live.length - capacity)) {
        this.killSessions(v, 'scale-in', t);
        this.enter(v, 'deleting', t, t + this.timings.deleteSeconds * 1000);
        change.removed.push(v.instanceId);
      }
    }
    this.recomputeNextDue();
    return change;
  }

  /** Deletes the named instances (protection does not stop a direct delete). forceDeletion shortens the delete. */
  deleteInstances(instanceIds: readonly string[], now: Time, options: { force?: boolean } = {}): string[] {
    const t = ms(now);
    const seconds = options.force ? Math.ceil(this.timings.deleteSeconds / 3) : this.timings.deleteSeconds;
    const done: string[] = [];
    for (const i of this.resolve(instanceIds)) {
      if (i.state === 'deleting') continue;
      this.killSessions(i, 'deleted', t);
      this.enter(i, 'deleting', t, t + seconds * 1000);
      done.push(i.instanceId);
    }
    this.recomputeNextDue();
    return done;
  }

  /** Deallocates the named instances, or the whole set (sparing protectFromScaleSetActions) when ids are omitted. */
  deallocate(instanceIds: readonly string[] | undefined, now: Time): string[] {
    return this.transition(instanceIds, now, ['creating', 'running', 'starting', 'stopping', 'stopped'], 'deallocating', this.timings.deallocateSeconds, 'deallocated');
  }

  /** Powers off (stops, stays allocated) the named instances or the whole set. */
  powerOff(instanceIds: readonly string[] | undefined, now: Time): string[] {
    return this.transition(instanceIds, now, ['creating', 'running', 'starting'], 'stopping', this.timings.stopSeconds, 'powered-off');
  }

  /** Restarts running instances (named, or the whole set): their sessions end and the VM boots again (startSeconds). */
  restart(instanceIds: readonly string[] | undefined, now: Time): string[] {
    return this.transition(instanceIds, now, ['running'], 'starting', this.timings.startSeconds, 'restarted');
  }

  /** Starts deallocated or stopped instances (named, or the whole set). */
  start(instanceIds: readonly string[] | undefined, now: Time): string[] {
    return this.transition(instanceIds, now, ['deallocated', 'stopped'], 'starting', this.timings.startSeconds, undefined);
  }

  setProtection(instanceId: string, policy: { protectFromScaleIn?: boolean; protectFromScaleSetActions?: boolean }): EmulatedInstance {
    const [i] = this.resolve([instanceId]);
    if (policy.protectFromScaleIn !== undefined) i!.protectFromScaleIn = policy.protectFromScaleIn;
    if (policy.protectFromScaleSetActions !== undefined) i!.protectFromScaleSetActions = policy.protectFromScaleSetActions;
    return i!;
  }

  /**
   * The drain command on one running VM: blocks new sessions (placement skips it), then counts what is open there,
   * with no metric delay. Throws for a VM that is not running (Run Command needs a running VM agent).
   */
  drain(instanceId: string): Sessions {
    const [i] = this.resolve([instanceId]);
    if (i!.state !== 'running') throw new ComputeModelError('InstanceNotRunning', `instance ${instanceId} is ${i!.state}; Run Command needs a running VM`);
    i!.drained = true;
    return { ...i!.sessions };
  }

  /** Lifts a drain: the VM takes new sessions again. */
  undrain(instanceId: string): void {
    const [i] = this.resolve([instanceId]);
    i!.drained = false;
  }

  /** Turns an instance's session reporter on or off (off = the VM posts no ActiveSessions: "no data"). */
  setReporting(instanceId: string, enabled: boolean): void {
    this.resolve([instanceId])[0]!.reporting = enabled;
  }

  /** Sets the session counts of one running instance. */
  setSessions(instanceId: string, sessions: Partial<Sessions>): void {
    const [i] = this.resolve([instanceId]);
    if (i!.state !== 'running') throw new ComputeModelError('InstanceNotRunning', `instance ${instanceId} is ${i!.state}; only a running VM can carry sessions`);
    for (const [kind, n] of Object.entries(sessions) as [SessionKind, number | undefined][]) {
      if (n === undefined) continue;
      if (!Number.isInteger(n) || n < 0) throw new ComputeModelError('InvalidParameter', `${kind} sessions must be a non-negative integer, got ${n}`);
      i!.sessions[kind] = n;
    }
  }

  /**
   * Opens one session the way the Azure load balancer places a new connection: the 5-tuple hash spreads new flows
   * evenly over healthy backends, modelled as a seeded uniform pick among running instances (no bin-packing). A
   * drained VM fails the probe (its JupyterHub is stopped, SSH refuses logins), so it is no backend for new flows.
   * Returns the chosen instance id, or undefined when no instance is running and undrained.
   */
  placeSession(kind: SessionKind): string | undefined {
    const running = this.running().filter((i) => !i.drained);
    if (running.length === 0) return undefined;
    const target = running[Math.floor(this.random() * running.length)]!;
    target.sessions[kind]++;
    return target.instanceId;
  }

  /**
   * A simulated user opens a session where the broker placed them. Refused (InstanceDrained) on a drained VM, as the VM
   * refuses new logins there; a VM that is not running has nothing to connect to (InstanceNotRunning).
   */
  openUserSession(instanceId: string, user: string, kind: SessionKind): void {
    const [i] = this.resolve([instanceId]);
    if (i!.state !== 'running') throw new ComputeModelError('InstanceNotRunning', `instance ${instanceId} is ${i!.state}; nobody can connect to it yet`);
    if (i!.drained) throw new ComputeModelError('InstanceDrained', `instance ${instanceId} is drained and refuses new sessions`);
    i!.sessions[kind]++;
    (i!.users ??= []).push({ user: user.toLowerCase(), kind });
  }

  /** Ends a named session; false when the user has none of that kind there. */
  closeUserSession(instanceId: string, user: string, kind: SessionKind): boolean {
    const i = this.byId.get(instanceId);
    const at = i?.users?.findIndex((u) => u.user === user.toLowerCase() && u.kind === kind) ?? -1;
    if (!i || at < 0) return false;
    i.users!.splice(at, 1);
    i.sessions[kind] = Math.max(0, i.sessions[kind] - 1);
    return true;
  }

  /** Marks a running VM drained without counting (an admin's maintenance drain): nobody new, open sessions stay. */
  setDrained(instanceId: string, drained: boolean): void {
    const [i] = this.resolve([instanceId]);
    i!.drained = drained;
  }

  /** Ends one session of `kind` on the given instance; false when it has none. */
  endSession(instanceId: string, kind: SessionKind): boolean {
    const i = this.byId.get(instanceId);
    if (!i || i.sessions[kind] === 0) return false;
    i.sessions[kind]--;
    return true;
  }

  /** Number of open sessions of a kind (or of both kinds) over the pool. */
  users(kind?: SessionKind): number {
    let n = 0;
    for (const i of this.byId.values()) n += kind ? i.sessions[kind] : totalSessions(i);
    return n;
  }

  /**
   * Makes the pool carry `users` sessions of `kind`: new users are placed as the load balancer would, leaving users
   * are picked at random among open sessions. Returns how many could not be placed (no running instance).
   */
  setUsers(users: number, kind: SessionKind = 'jupyter'): { unplaced: number } {
    if (!Number.isInteger(users) || users < 0) throw new ComputeModelError('InvalidParameter', `users must be a non-negative integer, got ${users}`);
    let current = this.users(kind);
    let unplaced = 0;
    for (; current < users; current++) if (this.placeSession(kind) === undefined) unplaced++;
    for (; current > users; current--) this.endRandomSession(kind);
    return { unplaced };
  }

  /** Sessions lost because their VM was removed, deallocated or powered off: the number dsvm-pool promises is 0. */
  killedSessions(): number {
    return this.killed;
  }

  killLog(): readonly KilledSessions[] {
    return this.kills;
  }

  /** Platform metric "Percentage CPU", derived from the sessions; undefined when the VM is not allocated. */
  cpuPercent(instanceId: string): number | undefined {
    const i = this.byId.get(instanceId);
    if (!i) return undefined;
    if (i.state === 'running') return Math.min(100, 2 + 18 * i.sessions.jupyter + 6 * i.sessions.ssh);
    if (i.state === 'creating' || i.state === 'starting') return 35;
    if (i.state === 'deallocated' || i.state === 'stopped') return undefined;
    return 10;
  }

  private running(): EmulatedInstance[] {
    return [...this.byId.values()].filter((i) => i.state === 'running');
  }

  private endRandomSession(kind: SessionKind): void {
    const total = this.users(kind);
    let pick = Math.floor(this.random() * total);
    for (const i of this.byId.values()) {
      if (pick < i.sessions[kind]) {
        i.sessions[kind]--;
        return;
      }
      pick -= i.sessions[kind];
    }
  }

  private transition(instanceIds: readonly string[] | undefined, now: Time, from: InstanceState[], to: InstanceState, seconds: number, kill: KillReason | undefined): string[] {
    const t = ms(now);
    const targets = instanceIds ? this.resolve(instanceIds) : [...this.byId.values()].filter((i) => !i.protectFromScaleSetActions);
    const done: string[] = [];
    for (const i of targets) {
      if (!from.includes(i.state)) continue;
      if (kill) this.killSessions(i, kill, t);
      // A drain lives in /run, which a boot clears.
      if (to === 'starting') i.drained = false;
      this.enter(i, to, t, t + seconds * 1000);
      done.push(i.instanceId);
    }
    this.recomputeNextDue();
    return done;
  }

  private scaleInOrder(candidates: EmulatedInstance[]): EmulatedInstance[] {
    const byIdDesc = (a: EmulatedInstance, b: EmulatedInstance) => Number(b.instanceId) - Number(a.instanceId);
    if (this.scaleInRule === 'NewestVM') return candidates.sort((a, b) => b.createdMs - a.createdMs || byIdDesc(a, b));
    if (this.scaleInRule === 'OldestVM') return candidates.sort((a, b) => a.createdMs - b.createdMs || -byIdDesc(a, b));
    return candidates.sort(byIdDesc);
  }

  private resolve(instanceIds: readonly string[]): EmulatedInstance[] {
    return instanceIds.map((id) => {
      const i = this.byId.get(String(id));
      if (!i) throw new ComputeModelError('InstanceNotFound', `The provided instanceId ${id} is not an active Virtual Machine Scale Set VM instanceId.`);
      return i;
    });
  }

  private killSessions(i: EmulatedInstance, reason: KillReason, atMs: number): void {
    for (const kind of ['jupyter', 'ssh'] as const) {
      const count = i.sessions[kind];
      if (count === 0) continue;
      this.killed += count;
      this.kills.push({ atMs, instanceId: i.instanceId, kind, count, reason });
      i.sessions[kind] = 0;
    }
    i.users = [];
  }

  private enter(i: EmulatedInstance, state: InstanceState, atMs: number, untilMs: number | undefined): void {
    i.state = state;
    i.stateSinceMs = atMs;
    i.untilMs = untilMs;
  }

  private recomputeNextDue(): void {
    let next: number | undefined;
    for (const i of this.byId.values()) if (i.untilMs !== undefined && (next === undefined || i.untilMs < next)) next = i.untilMs;
    this.nextDueMs = next;
  }
}
