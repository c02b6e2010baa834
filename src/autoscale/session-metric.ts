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

/**
 * Samples further apart than this mean the VM posted nothing in between: it was deallocated or stopped (or its
 * reporter was down). Two missed posts in a row; a spurious gap only makes a VM look idle for less time (kept longer).
 */
export const SAMPLE_GAP_MINUTES = 3;

/**
 * The time of the oldest sample of the newest unbroken run of samples (ms since the epoch), given sample times in
 * ascending order: the moment the VM's reporter came back after its latest gap, i.e. when the VM last started.
 * Undefined for no samples.
 */
export function unbrokenSince(ascendingTimesMs: readonly number[]): number | undefined {
  let since = ascendingTimesMs[0];
  for (let i = 1; i < ascendingTimesMs.length; i++) {
    if (ascendingTimesMs[i]! - ascendingTimesMs[i - 1]! > SAMPLE_GAP_MINUTES * 60_000) since = ascendingTimesMs[i];
  }
  return since;
}
