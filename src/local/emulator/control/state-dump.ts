// The compute part of the control API's state dump: scale sets, their instances and sessions, killed sessions.
import type { ScaleSetRegistry } from '../compute/scale-set-registry.js';

export function describeState(registry: ScaleSetRegistry, nowMs?: number): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const scaleSets = registry.all().map((r) => {
    if (nowMs !== undefined) r.model.advance(nowMs);
    return {
      id: r.id,
      name: r.name,
      capacity: r.model.capacity,
      scaleInRule: r.model.scaleInRule,
      killedSessions: r.model.killedSessions(),
      killLog: r.model.killLog().map((k) => ({ ...k, at: iso(k.atMs) })),
      instances: r.model.instances().map((i) => ({
        instanceId: i.instanceId,
        state: i.state,
        since: iso(i.stateSinceMs),
        until: iso(i.untilMs),
        protectFromScaleIn: i.protectFromScaleIn,
        protectFromScaleSetActions: i.protectFromScaleSetActions,
        sessions: i.sessions,
        reporting: i.reporting,
        cpuPercent: r.model.cpuPercent(i.instanceId),
      })),
    };
  });
  return { scaleSets, killedSessions: scaleSets.reduce((n, s) => n + s.killedSessions, 0) };
}
