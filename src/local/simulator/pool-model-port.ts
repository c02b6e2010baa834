// Wires the emulator's PoolModel (the same VM model the HTTPS emulator serves) into the simulator's VmPoolPort.
// The model counts sessions per VM and kind but has no session ids, so this adapter remembers where each of the
// replay's sessions was placed, and turns the model's kill log back into the ids of the sessions lost.
import { PoolModel, type PoolModelOptions } from '../emulator/compute/pool-model.js';
import type { SessionKind } from '../../autoscale/session-metric.js';
import type { PoolInstance, VmPoolPort } from '../../simulator/vm-pool.port.js';

export class PoolModelPort implements VmPoolPort {
  readonly model: PoolModel;
  private now: number;
  private readonly placed = new Map<string, { instanceId: string; kind: SessionKind }>();
  private killsSeen = 0;

  /**
   * `deallocated`: the initial instances exist but are deallocated when the period begins (a scheduled pool at
   * night). PoolModel has no such option, so they are created and deallocated an hour before `start`.
   */
  constructor(options: PoolModelOptions & { deallocated?: boolean }, start: number) {
    const { deallocated, ...modelOptions } = options;
    if (deallocated && (options.capacity ?? 0) > 0) {
      const before = start - 3_600_000;
      this.model = new PoolModel({ ...modelOptions, startRunning: true }, before);
      this.model.deallocate(undefined, before);
      this.model.advance(start);
    } else {
      this.model = new PoolModel(modelOptions, start);
    }
    this.now = start;
  }

  advanceTo(epochMs: number): void {
    this.now = Math.max(this.now, epochMs);
    this.model.advance(this.now);
  }

  instances(): readonly PoolInstance[] {
    return this.model.instances().map((i) => ({
      instanceId: i.instanceId,
      state: i.state,
      protectFromScaleIn: i.protectFromScaleIn,
      sessions: i.sessions.jupyter + i.sessions.ssh,
      sessionsByKind: { jupyter: i.sessions.jupyter, ssh: i.sessions.ssh },
    }));
  }

  capacity(): number {
    return this.model.capacity;
  }

  setCapacity(capacity: number): void {
    this.model.setCapacity(capacity, this.now);
  }

  start(instanceIds: readonly string[]): void {
    if (instanceIds.length > 0) this.model.start(instanceIds, this.now);
  }

  deallocate(instanceIds: readonly string[]): void {
    if (instanceIds.length > 0) this.model.deallocate(instanceIds, this.now);
  }

  delete(instanceIds: readonly string[]): void {
    if (instanceIds.length > 0) this.model.deleteInstances(instanceIds, this.now);
  }

  setProtection(instanceIds: readonly string[], protect: boolean): void {
    for (const id of instanceIds) this.model.setProtection(id, { protectFromScaleIn: protect });
  }

  drain(instanceId: string): Record<SessionKind, number> {
    return this.model.drain(instanceId);
  }

  undrain(instanceId: string): void {
    this.model.undrain(instanceId);
  }

  openSession(sessionId: string, kind: SessionKind): string | undefined {
    const instanceId = this.model.placeSession(kind);
    if (instanceId !== undefined) this.placed.set(sessionId, { instanceId, kind });
    return instanceId;
  }

  openSessionOn(sessionId: string, kind: SessionKind, instanceId: string): boolean {
    const i = this.model.get(instanceId);
    if (!i || i.state !== 'running' || i.drained) return false;
    this.model.openUserSession(instanceId, sessionId, kind);
    this.placed.set(sessionId, { instanceId, kind });
    return true;
  }

  placedSessions(): ReadonlyMap<string, string> {
    return new Map([...this.placed].map(([id, p]) => [id, p.instanceId]));
  }

  closeSession(sessionId: string): void {
    const p = this.placed.get(sessionId);
    if (!p) return;
    this.placed.delete(sessionId);
    if (!this.model.closeUserSession(p.instanceId, sessionId, p.kind)) this.model.endSession(p.instanceId, p.kind);
  }

  drainKilled(): string[] {
    const log = this.model.killLog();
    if (log.length === this.killsSeen) return [];
    const killed: string[] = [];
    for (const entry of log.slice(this.killsSeen)) {
      // The model drops every session of that kind on the VM at once, so every one placed there is lost.
      for (const [id, p] of this.placed) {
        if (p.instanceId === entry.instanceId && p.kind === entry.kind) {
          killed.push(id);
          this.placed.delete(id);
        }
      }
    }
    this.killsSeen = log.length;
    return killed;
  }

  nextChangeAt(): number | undefined {
    return this.model.nextEventMs();
  }
}
