// The broker's side of an evaluation (the SeatBroker port of autoscale): before deciding, the seats held, the people
// waiting and the VMs' own reports; after acting, the pool view every connect reads until the next evaluation.
import type { SeatBroker } from '../autoscale/seat-broker.port.js';
import type { BrokerStore, PoolPartition } from './broker-store.port.js';
import { buildPoolView } from './build-view.js';
import { brokerDemand } from './demand.js';
import type { ViewInstance } from './pool-view.js';
import { isFresh, reportedCount, type VmReport, type VmReportStore } from './vm-report.js';

interface Context {
  partition: PoolPartition;
  reports: VmReport[];
}

export function createSeatBroker(store: BrokerStore, reports: VmReportStore): SeatBroker {
  return {
    async facts(pool, policy, now, options) {
      const [partition, rows] = await Promise.all([store.read(pool, options), reports.list(policy.target, options)]);
      const reported = new Map<string, number>();
      const named = new Map<string, Pick<ViewInstance, 'sessions'>>();
      for (const r of rows) {
        if (!isFresh(r, now)) continue;
        const n = reportedCount(r);
        if (n !== undefined) reported.set(r.instanceId, n);
        named.set(r.instanceId, { sessions: { known: n !== undefined, count: n ?? 0, users: r.sessions } });
      }
      const demand = brokerDemand(partition, now, named);
      const runningSince = new Map<string, Date>();
      for (const vm of partition.view?.instances ?? []) if (vm.state === 'running' && vm.runningSince) runningSince.set(vm.instanceId, new Date(vm.runningSince));
      const context: Context = { partition, reports: rows };
      const busySince = partition.view?.scaleSet.busySince;
      return { reserved: demand.reservedByInstance, waiting: demand.waiting, reported, runningSince, context, ...(busySince ? { scaleSetBusySince: new Date(busySince) } : {}) };
    },
    async evaluated(e, options) {
      const context = e.facts?.context as Context | undefined;
      const view = buildPoolView({ evaluated: e, previous: context?.partition.view, reports: context?.reports ?? [], placement: e.policy.placement });
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
