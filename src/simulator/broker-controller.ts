// Our autoscaler with the connection broker in the replay: every user asks the broker, which places them exactly as
// the app does (the same place(): affinity, depth-first, reservations, waiting people), and the evaluations count
// reserved seats and waiting people as demand through the same decide(). A user placed on a VM that is still
// starting holds a seat there and connects the moment it runs.
import type { PoolObservation } from '../autoscale/observation.js';
import type { VmssPolicy } from '../autoscale/policy.js';
import type { SessionKind } from '../autoscale/session-metric.js';
import { place } from '../broker/place.js';
import type { PoolView, UserSession, ViewInstance } from '../broker/pool-view.js';
import { RESERVATION_MINUTES, WAITING_MINUTES, type VmSeats, type WaitingUser } from '../broker/reservation.js';
import { AutoscalerController } from './autoscaler-controller.js';
import type { VmPoolPort } from './vm-pool.port.js';

const MINUTE = 60_000;

interface Held {
  instanceId: string;
  user: string;
  kind: SessionKind;
  expiresAt: number;
}

export class BrokerController extends AutoscalerController {
  /** Seats held for users on VMs still starting, by session id. */
  private readonly held = new Map<string, Held>();
  /** Users who found no seat, by session id. */
  private readonly queue = new Map<string, WaitingUser>();
  private readonly usersOf = new Map<string, string>();

  constructor(
    private readonly brokerPolicy: VmssPolicy,
    options: { name?: string; poolName?: string; metricDelaySeconds?: number } = {},
  ) {
    super(brokerPolicy, options);
  }

  place(now: number, pool: VmPoolPort, session: { sessionId: string; user: string; kind: SessionKind }, arriving: boolean): string | undefined {
    this.usersOf.set(session.sessionId, session.user);
    const at = new Date(now);
    const view = this.viewOf(now, pool);
    const mine = this.held.get(session.sessionId);
    if (mine) {
      const vm = view.instances.find((v) => v.instanceId === mine.instanceId);
      if (vm?.state === 'running' && mine.expiresAt > now) {
        this.held.delete(session.sessionId);
        return mine.instanceId;
      }
      if (vm && (vm.state === 'creating' || vm.state === 'starting') && mine.expiresAt > now) return undefined;
      this.held.delete(session.sessionId);
    }
    const p = place(view, this.seats(), [...this.queue.values()], { user: session.user, kind: session.kind }, at);
    if (p.outcome === 'placed') {
      this.queue.delete(session.sessionId);
      if (p.ready) return p.instanceId;
      this.held.set(session.sessionId, { instanceId: p.instanceId, user: session.user, kind: session.kind, expiresAt: now + RESERVATION_MINUTES * MINUTE });
      return undefined;
    }
    const queued = this.queue.get(session.sessionId);
    this.queue.set(session.sessionId, { user: session.user, kind: session.kind, since: queued?.since ?? at.toISOString(), expiresAt: new Date(now + WAITING_MINUTES * MINUTE).toISOString() });
    // As the connect path does: nobody could be seated, so evaluate now (only when the person first asks).
    if (arriving) this.userWithoutVm(now, pool);
    return undefined;
  }

  override observe(now: number, pool: VmPoolPort): PoolObservation {
    const o = super.observe(now, pool);
    const reserved = new Map<string, number>();
    for (const h of this.held.values()) if (h.expiresAt > now) reserved.set(h.instanceId, (reserved.get(h.instanceId) ?? 0) + 1);
    // Waiting users re-ask on every step of the replay, so their rows stay live while they wait.
    const waiting = [...this.queue.values()].filter((w) => Date.parse(w.expiresAt) > now).length;
    // Each VM's own report (exact, no Monitor delay) is what the broker's evaluations see besides the metric.
    const exact = new Map(pool.instances().filter((i) => i.state === 'running').map((i) => [i.instanceId, i.sessions]));
    // As each VM's per-user report names them: sessions past each user's first (the broker's affinity).
    const shared = new Map<string, number>();
    const seen = new Set<string>();
    for (const [sessionId, instanceId] of pool.placedSessions()) {
      const key = `${instanceId}/${this.usersOf.get(sessionId) ?? sessionId}`;
      if (seen.has(key)) shared.set(instanceId, (shared.get(instanceId) ?? 0) + 1);
      seen.add(key);
    }
    return {
      ...o,
      waiting,
      instances: o.instances.map((i) => ({
        ...i,
        reserved: reserved.get(i.instanceId) ?? 0,
        ...(exact.has(i.instanceId) ? { reported: exact.get(i.instanceId) } : {}),
        ...(shared.has(i.instanceId) ? { sharedSessions: shared.get(i.instanceId) } : {}),
      })),
    };
  }

  override userWithoutVm(now: number, pool: VmPoolPort): void {
    // The broker's waiting rows are the demand; no wake floor is held.
    this.evaluateNow(now, pool);
  }

  private seats(): VmSeats[] {
    const by = new Map<string, VmSeats>();
    for (const h of this.held.values()) {
      const s = by.get(h.instanceId) ?? { instanceId: h.instanceId, reservations: [] };
      s.reservations.push({ user: h.user, kind: h.kind, reservedAt: '', expiresAt: new Date(h.expiresAt).toISOString() });
      by.set(h.instanceId, s);
    }
    return [...by.values()];
  }

  /** The pool as the broker's view shows it: exact sessions and who they are (the VMs' own reports). */
  private viewOf(now: number, pool: VmPoolPort): PoolView {
    const users = new Map<string, UserSession[]>();
    for (const [sessionId, instanceId] of pool.placedSessions()) {
      const list = users.get(instanceId) ?? [];
      list.push({ user: this.usersOf.get(sessionId) ?? sessionId, kind: 'jupyter' });
      users.set(instanceId, list);
    }
    const instances: ViewInstance[] = pool.instances().map((i) => ({
      instanceId: i.instanceId,
      state: i.state,
      sessions: { known: true, count: i.sessions, users: users.get(i.instanceId) ?? [] },
      draining: false,
      removing: false,
      endpoints: {},
    }));
    return {
      pool: 'simulated', writtenAt: new Date(now).toISOString(), seatsPerInstance: this.brokerPolicy.seatsPerInstance, maxInstances: this.brokerPolicy.maxInstances,
      placement: this.brokerPolicy.placement, reservationMinutes: RESERVATION_MINUTES, scaleSet: { provisioningState: 'Succeeded' }, instances,
    };
  }
}
