// Recording fakes of the autoscale ports, for the narrow seams of evaluate() and tick(). Integration tests use the
// real adapters against the emulator.
import type { AutoscaleDeps } from '../../../src/autoscale/evaluate-pool.js';
import type { Lease, LeasePort } from '../../../src/autoscale/lease.port.js';
import type { InstanceObservation } from '../../../src/autoscale/observation.js';
import type { PolicyRow, PolicyStore } from '../../../src/autoscale/policy-store.port.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import type { ScaleEventStore } from '../../../src/autoscale/scale-event-store.port.js';
import type { CallOptions, DrainResult, ScaleSet } from '../../../src/autoscale/scale-set.port.js';
import type { Evaluated, FactsOptions, SeatBroker, SeatFacts } from '../../../src/autoscale/seat-broker.port.js';
import type { TickDeps } from '../../../src/autoscale/tick.js';
import { NOW } from './factories.js';

export class RecordingScaleSet implements ScaleSet {
  calls: string[] = [];
  failOn?: { call: string; error: Error };
  delayMs = 0;
  /** What getCapacity reports as the scale set's own state, e.g. 'Updating' while an operation runs. */
  provisioningState = 'Succeeded';
  /** The wait each write asked for (CallOptions.lroWaitMs), by call, e.g. { 'deallocate 2': 0 }. */
  lroWaits: Record<string, number | undefined> = {};
  constructor(public instances: InstanceObservation[] = [], public capacity = instances.length) {}
  /** Calls that fail, by exact call (e.g. 'undrain 3'), beside failOn's one prefix. */
  failCalls: Record<string, Error> = {};
  /** A delay for one call (ms), e.g. to make a later call finish first. */
  callDelays: Record<string, number> = {};
  private async record(call: string): Promise<void> {
    const delay = this.callDelays[call] ?? this.delayMs;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (this.failOn && call.startsWith(this.failOn.call)) throw this.failOn.error;
    if (this.failCalls[call]) throw this.failCalls[call];
    this.calls.push(call);
  }
  async getCapacity() {
    await this.record('getCapacity');
    return { capacity: this.capacity, provisioningState: this.provisioningState };
  }
  async listInstances() {
    await this.record('listInstances');
    return this.instances.map(({ instanceId, state, protectFromScaleIn }) => ({ instanceId, state, protectFromScaleIn }));
  }
  private write(call: string, options: CallOptions | undefined): Promise<void> {
    this.lroWaits[call] = options?.lroWaitMs;
    return this.record(call);
  }
  setCapacity = (n: number, o?: CallOptions) => this.write(`setCapacity ${n}`, o);
  start = (ids: string[], o?: CallOptions) => this.write(`start ${ids.join(',')}`, o);
  deallocate = (ids: string[], o?: CallOptions) => this.write(`deallocate ${ids.join(',')}`, o);
  delete = (ids: string[], o?: CallOptions) => this.write(`delete ${ids.join(',')}`, o);
  setProtection = (id: string, on: boolean, o?: CallOptions) => this.write(`${on ? 'protect' : 'unprotect'} ${id}`, o);
  /** What each VM's drain answers; a VM not listed counts no session. A function may throw (an ARM error). */
  drainAnswers: Record<string, DrainResult | (() => DrainResult)> = {};
  drain = async (id: string) => {
    await this.record(`drain ${id}`);
    const a = this.drainAnswers[id] ?? { ok: true, counts: { ssh: 0, jupyter: 0, unknown: [] } };
    return typeof a === 'function' ? a() : a;
  };
  undrain = (id: string) => this.record(`undrain ${id}`);
}

/** The broker seam of an evaluation: hands out `seatFacts`, records what it was asked and handed. */
export class RecordingSeatBroker implements SeatBroker {
  /** What `facts` answers: by default no reservations, nobody waiting, no reports. */
  seatFacts: SeatFacts = { reserved: new Map(), waiting: 0, reported: new Map(), runningSince: new Map() };
  factsCalls: { pool: string; options: FactsOptions }[] = [];
  evaluatedCalls: { e: Evaluated; options: CallOptions }[] = [];
  /** Thrown by `evaluated` (a failed view write). */
  evaluatedError?: Error;
  async facts(pool: string, _policy: unknown, _now: Date, options: FactsOptions) {
    this.factsCalls.push({ pool, options });
    return this.seatFacts;
  }
  async evaluated(e: Evaluated, options: CallOptions) {
    this.evaluatedCalls.push({ e, options });
    if (this.evaluatedError) throw this.evaluatedError;
  }
}

export class MemoryEvents implements ScaleEventStore {
  events: ScaleEvent[] = [];
  async append(e: ScaleEvent) {
    this.events.unshift(e);
  }
  async since(pool: string, from: Date) {
    return this.events.filter((e) => e.pool === pool && e.at >= from);
  }
  async page(pool: string, o: { top: number }) {
    return { events: this.events.filter((e) => e.pool === pool).slice(0, o.top) };
  }
}

export class MemoryLeases implements LeasePort {
  held = new Map<string, Lease>();
  async acquire(pool: string, holder: string, now: Date, ms: number) {
    const cur = this.held.get(pool);
    if (cur && cur.expiresAt > now) return undefined;
    const lease = { pool, holder, expiresAt: new Date(now.getTime() + ms), version: holder };
    this.held.set(pool, lease);
    return lease;
  }
  async release(lease: Lease) {
    if (this.held.get(lease.pool)?.version === lease.version) this.held.delete(lease.pool);
  }
}

export function memoryPolicies(rows: PolicyRow[]): PolicyStore {
  return {
    list: async () => rows,
    get: async (pool) => rows.find((r) => r.pool === pool),
    put: async () => undefined,
  };
}

/** Deps over fakes: scale sets by target, sessions taken from the instances' own `sessions`. */
export function fakeDeps(scaleSets: Record<string, RecordingScaleSet>, rows: PolicyRow[] = []): TickDeps & { events: MemoryEvents; leases: MemoryLeases; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const deps: AutoscaleDeps = {
    scaleSets: (target) => scaleSets[target]!,
    metrics: { read: async (target) => new Map(scaleSets[target]!.instances.filter((i) => i.sessions.hasData).map((i) => [i.instanceId, i.sessions])) },
    events: new MemoryEvents(),
    leases: new MemoryLeases(),
    now: () => NOW,
    holder: 'test',
    log: (f) => logs.push(f),
  };
  return { ...deps, events: deps.events as MemoryEvents, leases: deps.leases as MemoryLeases, logs, policies: memoryPolicies(rows), maxConcurrentPools: 4, poolTimeoutMs: 200 };
}
