// Builds the pool view an evaluation writes: every VM with its state, expected ready time, sessions (from the VM's
// fresh report, else the metric), drain and removal marks and endpoints. Pure: the previous view carries the times a
// VM was first seen creating or running, so estimates never reset between evaluations.
import { EXPECTED_CREATE_MINUTES, EXPECTED_START_MINUTES } from '../autoscale/wake-pool.js';
import type { Evaluated } from '../autoscale/seat-broker.port.js';
import { viewOf } from '../autoscale/instance-view.js';
import type { Endpoint, PlacementRule, PoolView, SessionKind, ViewInstance } from './pool-view.js';
import { RESERVATION_MINUTES } from './reservation.js';
import { isFresh, reportedCount, type VmReport } from './vm-report.js';

const MINUTE = 60_000;

export interface ViewInput {
  evaluated: Evaluated;
  previous?: PoolView;
  reports: readonly VmReport[];
  placement: PlacementRule;
  /** Per-VM endpoints where known (per-VM inbound NAT ports). */
  endpoints?: ReadonlyMap<string, Partial<Record<SessionKind, Endpoint>>>;
}

export function buildPoolView(input: ViewInput): PoolView {
  const { evaluated: e, previous, reports } = input;
  const now = e.now;
  const before = new Map((previous?.instances ?? []).map((vm) => [vm.instanceId, vm]));
  const byReport = new Map(reports.map((r) => [r.instanceId, r]));
  const removing = new Set([...(e.plan?.deallocate ?? []), ...(e.plan?.delete ?? [])]);
  const observed = new Map((e.observation?.instances ?? []).map((i) => [i.instanceId, i]));
  // After a scale-out the listing after acting holds the new VMs; the observation holds the sessions.
  const listed = e.instancesAfter ?? e.observation?.instances ?? [];
  // Only a start Azure accepted makes a VM "starting": after a failed start it is still deallocated, and no promise
  // may rest on it.
  const startAccepted = e.acted.steps.some((step) => step.startsWith('start '));
  const started = new Set(startAccepted ? (e.plan?.start ?? []) : []);
  const instances: ViewInstance[] = [];
  for (const i of listed) {
    const state = started.has(i.instanceId) && (i.state === 'deallocated' || i.state === 'stopped') ? 'starting' : i.state;
    if (state === 'deleting') continue;
    const prev = before.get(i.instanceId);
    const report = byReport.get(i.instanceId);
    const vm: ViewInstance = {
      instanceId: i.instanceId,
      state,
      sessions: sessionsOf(i.instanceId, report, observed.get(i.instanceId), now, e.policy.idleMinutesBeforeScaleIn),
      draining: state === 'running' && report !== undefined && isFresh(report, now) && report.drained,
      removing: removing.has(i.instanceId),
      endpoints: input.endpoints?.get(i.instanceId) ?? {},
    };
    if (state === 'creating' || state === 'starting') {
      const kept = prev && prev.state === state && prev.readyAt;
      vm.readyAt = kept || new Date(now.getTime() + (state === 'creating' ? EXPECTED_CREATE_MINUTES : EXPECTED_START_MINUTES) * MINUTE).toISOString();
    }
    if (state === 'running') vm.runningSince = prev?.state === 'running' && prev.runningSince ? prev.runningSince : now.toISOString();
    instances.push(vm);
  }
  const view: PoolView = {
    pool: e.pool,
    writtenAt: now.toISOString(),
    seatsPerInstance: e.policy.seatsPerInstance,
    maxInstances: e.policy.maxInstances,
    placement: input.placement,
    reservationMinutes: RESERVATION_MINUTES,
    scaleSet: {
      provisioningState: e.observation?.provisioningState ?? previous?.scaleSet.provisioningState ?? 'Unknown',
      ...(e.scaleSetMissing ? { missing: true } : {}),
      // Observing failed: the busy spell the previous view saw goes on as far as anyone knows.
      ...(e.observation?.busySince ? { busySince: e.observation.busySince.toISOString() } : !e.observation && previous?.scaleSet.busySince ? { busySince: previous.scaleSet.busySince } : {}),
    },
    instances,
    ...(e.policy.connectUrl ? { connectUrl: e.policy.connectUrl } : {}),
  };
  if (e.acted.error) view.problem = { code: e.acted.error.code, message: e.acted.error.message, at: now.toISOString(), ...(e.acted.error.step ? { step: e.acted.error.step } : {}), ...(e.plan ? { reason: e.plan.reason } : {}) };
  // A start or scale-out that failed after Azure accepted it: the failure stands until it takes effect, so a waiting
  // person is not promised a VM the last attempt did not deliver.
  else if (previous?.problem && growthStillFailed(previous.problem, e)) view.problem = previous.problem;
  // Observing failed: keep the VMs the previous view knew rather than promise nothing, but say why.
  if (!e.observation && previous && !e.scaleSetMissing) view.instances = previous.instances;
  return view;
}

function sessionsOf(
  instanceId: string,
  report: VmReport | undefined,
  observed: NonNullable<Evaluated['observation']>['instances'][number] | undefined,
  now: Date,
  idleWindowMinutes: number,
): ViewInstance['sessions'] {
  if (report && isFresh(report, now)) {
    const count = reportedCount(report);
    if (count !== undefined) return { known: true, count, users: report.sessions };
  }
  if (!observed) return { known: false, count: 0, users: [] };
  const known = viewOf(observed, now, idleWindowMinutes).known;
  void instanceId;
  return { known, count: known ? observed.sessions.latest : 0, users: report?.sessions ?? [] };
}

/** The previous view's failed growth (an ARM_LRO_FAILED "start 0" or "setCapacity 3" step) has still not happened. */
function growthStillFailed(problem: NonNullable<PoolView['problem']>, e: Evaluated): boolean {
  if (problem.code !== 'ARM_LRO_FAILED' || !e.observation) return false;
  const m = /^(start|setCapacity) (\S+)$/.exec(problem.step ?? '');
  if (!m) return false;
  if (m[1] === 'setCapacity') return e.observation.capacity < Number(m[2]);
  const state = new Map(e.observation.instances.map((i) => [i.instanceId, i.state]));
  return m[2]!.split(',').some((id) => state.get(id) !== 'running' && state.get(id) !== 'starting');
}
