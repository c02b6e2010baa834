// The session-metric contract shared by the VM reporter (infra/vm), the emulator and autoscale.
// See DESIGN.md "Session metric". Tests check that infra/vm uses these same names.
export const SESSION_METRIC = {
  namespace: 'DSVMPool',
  name: 'ActiveSessions',
  instanceDimension: 'InstanceId',
  kindDimension: 'Kind',
  kinds: ['jupyter', 'ssh'] as const,
  intervalSeconds: 60,
} as const;

export type SessionKind = (typeof SESSION_METRIC.kinds)[number];
