// The broker's side of an evaluation (the SeatBroker port of autoscale): before deciding, the seats held, the people
// waiting and the VMs' own reports; after acting, the pool view every connect reads until the next evaluation.
import type { SeatBroker } from '../autoscale/seat-broker.port.js';
import type { BrokerStore, PoolPartition } from './broker-store.port.js';
import { buildPoolView } from './build-view.js';
import { brokerDemand } from './demand.js';
import type { NatEndpointReader, InstanceEndpoints } from './nat-endpoints.port.js';
import type { PoolView, ViewInstance } from './pool-view.js';
import { DEFAULT_SETTLE_WINDOW, settleWaiting, type SettleWindow } from './settle-waiting.js';
import { isFresh, reportedCount, secondSessions, type VmReport, type VmReportStore } from './vm-report.js';

interface Context {
  partition: PoolPartition;
  reports: VmReport[];
}

/** `window`: the settling window of an evaluation a connect triggered (settle-waiting.ts). */
export function createSeatBroker(store: BrokerStore, reports: VmReportStore, nat?: NatEndpointReader, window: SettleWindow = DEFAULT_SETTLE_WINDOW): SeatBroker {
  return {
    async facts(pool, policy, now, options) {
      const { settle, ...call } = options;
      const [partition, rows] = await Promise.all([settle ? settleWaiting(store, pool, now, window, call) : store.read(pool, call), reports.list(policy.target, call)]);
      const reported = new Map<string, number>();
      const shared = new Map<string, number>();
      const named = new Map<string, Pick<ViewInstance, 'sessions'>>();
      for (const r of rows) {
        if (!isFresh(r, now)) continue;
        const n = reportedCount(r);
        if (n !== undefined) reported.set(r.instanceId, n);
        const second = secondSessions(r);
        if (second > 0) shared.set(r.instanceId, second);
        named.set(r.instanceId, { sessions: { known: n !== undefined, count: n ?? 0, users: r.sessions } });
      }
      const demand = brokerDemand(partition, now, named);
      const runningSince = new Map<string, Date>();
      for (const vm of partition.view?.instances ?? []) if (vm.state === 'running' && vm.runningSince) runningSince.set(vm.instanceId, new Date(vm.runningSince));
      const context: Context = { partition, reports: rows };
      const busySince = partition.view?.scaleSet.busySince;
      return { reserved: demand.reservedByInstance, waiting: demand.waiting, reported, shared, runningSince, context, ...(busySince ? { scaleSetBusySince: new Date(busySince) } : {}) };
    },
    async evaluated(e, options) {
      const context = e.facts?.context as Context | undefined;
      const previous = context?.partition.view;
      const endpoints = await endpointsFor(e, previous, nat, options);
      const view = buildPoolView({ evaluated: e, previous, reports: context?.reports ?? [], placement: e.policy.placement, endpoints });
      await store.writeView(view, options);
      if (!context || !e.observation) return;
      // Rows of VMs that are gone: their reservations and their users' names go with them.
      const present = new Set(view.instances.map((vm) => vm.instanceId));
      const listed = new Set((e.instancesAfter ?? e.observation.instances).map((i) => i.instanceId));
      const goneSeats = context.partition.seats.map((s) => s.instanceId).filter((id) => !present.has(id) && !listed.has(id));
      const goneReports = context.reports.map((r) => r.instanceId).filter((id) => !listed.has(id));
      await Promise.all([
        goneSeats.length ? store.removeSeats(e.pool, goneSeats, options) : undefined,
        goneReports.length ? reports.remove(e.policy.target, goneReports, options) : undefined,
      ]);
    },
  };
}

/**
 * Per-VM endpoints for the view: carried from the previous view for VMs that have both kinds, asked of the load
 * balancer only for the others (new VMs), so a steady pool makes no Network call. A failed read leaves those VMs
 * without an endpoint (the connect answers `endpoint: null` and the pool's connectUrl) and is retried next evaluation;
 * it never fails the evaluation.
 */
async function endpointsFor(
  e: Parameters<SeatBroker['evaluated']>[0],
  previous: PoolView | undefined,
  nat: NatEndpointReader | undefined,
  options: Parameters<SeatBroker['evaluated']>[1],
): Promise<Map<string, InstanceEndpoints>> {
  const out = new Map<string, InstanceEndpoints>();
  for (const vm of previous?.instances ?? []) if (vm.endpoints.jupyter && vm.endpoints.ssh) out.set(vm.instanceId, vm.endpoints);
  const listed = (e.instancesAfter ?? e.observation?.instances ?? []).filter((i) => i.state !== 'deleting');
  const missing = listed.map((i) => i.instanceId).filter((id) => !out.has(id));
  if (!nat || missing.length === 0 || e.scaleSetMissing) return out;
  try {
    for (const [id, endpoints] of await nat.read(e.policy.target, missing, options)) out.set(id, endpoints);
  } catch {
    // Not fatal: people still get a seat, only without a per-VM address until the next evaluation reads it.
  }
  return out;
}
