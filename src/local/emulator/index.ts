// The local Azure emulator: ARM Compute (VM Scale Sets), Azure Monitor, the Azure Batch data plane and Entra ID's
// token issuer over HTTPS, in simulated time, with fault injection and a control API. The real SDK clients and the
// app's real token validation run against it unchanged.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import picomatch from 'picomatch';
import type { SessionKind } from '../../autoscale/session-metric.js';
import { createBatchEmulator, type BatchEmulator } from './batch/index.js';
import { createEmulatorCertificate } from './certificate.js';
import { createComputeRoutes } from './compute/compute-routes.js';
import { ComputeModelError } from './compute/errors.js';
import type { EmulatedInstance } from './compute/instance.js';
import { OperationTracker } from './compute/operation-tracker.js';
import { ScaleSetRegistry, type CreateScaleSetOptions, type ScaleSetRecord } from './compute/scale-set-registry.js';
import { VmReportWriter } from './compute/vm-report-writer.js';
import { createControlRoutes, type EmulatorControl } from './control/control-routes.js';
import { createEntraIssuer, type EntraIssuer } from './entra/entra-issuer.js';
import { createEntraRoutes } from './entra/entra-routes.js';
import { describeState } from './control/state-dump.js';
import { FaultInjector, type ActiveFaultRule, type FaultRule } from './faults.js';
import { MetricStore } from './monitor/metric-store.js';
import { createMonitorRoutes } from './monitor/monitor-routes.js';
import { NatSlots } from './network/load-balancer.js';
import { createNetworkRoutes } from './network/network-routes.js';
import { SessionMetricEmitter } from './monitor/session-metric-emitter.js';
import { startEmulatorServer } from './server.js';
import { createSimClock, type SimClock, type SimClockOptions } from './sim-clock.js';

export type { FaultRule, ActiveFaultRule } from './faults.js';
export type { EmulatedInstance, InstanceState, KilledSessions } from './compute/instance.js';
export type { BatchEmulator } from './batch/index.js';
export type { SimClock, SimClockOptions } from './sim-clock.js';
export type { EntraIssuer, IssuedToken, TokenOptions } from './entra/entra-issuer.js';
export { EMULATOR_API_CLIENT_ID, EMULATOR_TENANT_ID } from './entra/entra-issuer.js';

export interface EmulatorOptions {
  /** 0 = random; default 7443 for npm start. */
  port?: number;
  /** Default: manual clock (tests); npm start uses { speed: 60 }. */
  clock?: SimClockOptions;
  bootSeconds?: number;
  startSeconds?: number;
  deallocateSeconds?: number;
  deleteSeconds?: number;
  /** How long an operation stays InProgress in simulated seconds (a manual clock also ends it at its first poll). */
  lroDelaySeconds?: number;
  /** Writes { url, caFile } and the CA PEM beside it, for npm start. */
  connectionInfoFile?: string;
  /** Items per page of the VMSS VM list; default 100. */
  vmListPageSize?: number;
  /** Seed of the fault-rate RNG. */
  seed?: number;
  /** The emulated Entra tenant and app registration (defaults: EMULATOR_TENANT_ID, EMULATOR_API_CLIENT_ID). */
  entra?: { tenantId?: string; clientId?: string };
  /**
   * Storage (Azurite) connection string: when given, each simulated VM's reporter writes its per-user session row to
   * the `vmsessions` table every simulated minute, as real VMs do for the connection broker.
   */
  vmReportsConnectionString?: string;
  log?: (line: string) => void;
}

export interface Emulator {
  url: string;
  caPem: string;
  clock: SimClock;
  compute: {
    createScaleSet(o: CreateScaleSetOptions): string;
    setSessions(scaleSetId: string, instanceId: string, s: { jupyter?: number; ssh?: number }): void;
    setUsers(scaleSetId: string, users: number, kind?: SessionKind): { unplaced: number };
    /** Turns one VM's session reporter off (no ActiveSessions data) or on again. */
    setReporting(scaleSetId: string, instanceId: string, enabled: boolean): void;
    killedSessions(scaleSetId?: string): number;
    /** A snapshot of the instances (state brought up to the clock's now). */
    instances(scaleSetId: string): EmulatedInstance[];
    setVmListPageSize(n: number): void;
    /** A simulated user opens a session on the VM the broker placed them on (refused on a drained VM). */
    openSession(scaleSetId: string, instanceId: string, user: string, kind: SessionKind): void;
    closeSession(scaleSetId: string, instanceId: string, user: string, kind: SessionKind): boolean;
    /** Drains or undrains a running VM (its probe fails, nobody new; open sessions stay); its reporter says so at once. */
    setDrained(scaleSetId: string, instanceId: string, drained: boolean): void;
    /** Awaits the per-VM report rows written so far (with vmReportsConnectionString). */
    flushReports(): Promise<void>;
  };
  network: {
    /**
     * Answers queryInboundNatRulePortMapping as a long-running POST (202 + Location, the result at that URL) instead
     * of 200 at once; the REST spec allows both.
     */
    setPortMappingsAsync(on: boolean): void;
  };
  batch: BatchEmulator;
  /** Entra ID's token issuer for one tenant: `entra.tokenFor(user, roles)` mints an access token for the app. */
  entra: EntraIssuer;
  faults: { add(rule: FaultRule): string; remove(id: string): void; clear(): void; list(): ActiveFaultRule[] };
  /** Requests served per operation glob; without a filter, every non-control request. */
  calls(filter?: { operation?: string }): number;
  /** Empties scale sets, metrics, operations, faults, call counts and Batch state; the clock keeps its time. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = createSimClock(options.clock ?? {});
  const registry = new ScaleSetRegistry({
    bootSeconds: options.bootSeconds, startSeconds: options.startSeconds, deallocateSeconds: options.deallocateSeconds, deleteSeconds: options.deleteSeconds,
  });
  const operations = new OperationTracker(clock, options.lroDelaySeconds ?? 2);
  const natSlots = new NatSlots();
  let portMappingsAsync = false;
  const store = new MetricStore();
  const emitter = new SessionMetricEmitter(registry, store, clock.now().getTime());
  clock.onAdvance((now) => emitter.advanceTo(now.getTime()));
  const reports = options.vmReportsConnectionString ? new VmReportWriter(registry, options.vmReportsConnectionString, clock.now().getTime()) : undefined;
  if (reports) clock.onAdvance((now) => reports.advanceTo(now.getTime()));
  const faults = new FaultInjector(options.seed ?? 42);
  const callCounts = new Map<string, number>();
  const batch = createBatchEmulator(clock);
  let pageSize = options.vmListPageSize ?? 100;

  const scaleSet = (idOrName: string): ScaleSetRecord => {
    const r = registry.get(idOrName);
    if (!r) throw new ComputeModelError('ScaleSetNotFound', `No scale set "${idOrName}"; give its resource id (or its name if unique).`);
    r.model.advance(clock.now());
    return r;
  };
  const calls = (filter?: { operation?: string }): number => {
    const matches = filter?.operation ? picomatch(filter.operation, { nocase: true }) : (op: string) => !op.startsWith('control.');
    let n = 0;
    for (const [op, count] of callCounts) if (matches(op)) n += count;
    return n;
  };

  const compute: Emulator['compute'] = {
    createScaleSet: (o) => registry.create(o, clock.now()).id,
    setSessions: (id, instanceId, s) => scaleSet(id).model.setSessions(instanceId, s),
    setUsers: (id, users, kind) => scaleSet(id).model.setUsers(users, kind),
    setReporting: (id, instanceId, enabled) => scaleSet(id).model.setReporting(instanceId, enabled),
    killedSessions: (id) => (id ? scaleSet(id).model.killedSessions() : registry.all().reduce((n, r) => n + r.model.killedSessions(), 0)),
    instances: (id) => scaleSet(id).model.instances().map((i) => ({ ...i, sessions: { ...i.sessions } })),
    setVmListPageSize: (n) => void (pageSize = n),
    openSession: (id, instanceId, user, kind) => scaleSet(id).model.openUserSession(instanceId, user, kind),
    closeSession: (id, instanceId, user, kind) => scaleSet(id).model.closeUserSession(instanceId, user, kind),
    setDrained: (id, instanceId, drained) => {
      const r = scaleSet(id);
      r.model.setDrained(instanceId, drained);
      reports?.reportNow(r, instanceId, clock.now().getTime());
    },
    flushReports: async () => reports?.flush(),
  };
  const reset = (): void => {
    registry.clear();
    natSlots.clear();
    portMappingsAsync = false;
    operations.clear();
    store.clear();
    faults.clear();
    callCounts.clear();
    batch.reset();
    emitter.restart(clock.now().getTime());
  };
  const control: EmulatorControl = {
    ...compute,
    state: () => ({ now: clock.now().toISOString(), clock: clock.mode, ...describeState(registry, clock.now().getTime()), faults: faults.list(), batch: batch.state() }),
    faults: { add: (r) => faults.add(r), remove: (id) => faults.remove(id), clear: () => faults.clear(), list: () => faults.list() },
    clockNow: () => clock.now(),
    clockSpeed: () => clock.speed,
    advanceClock: ({ seconds, to }) => {
      if (to !== undefined) clock.advanceTo(new Date(to));
      else if (typeof seconds === 'number' && seconds > 0) clock.advance(seconds * 1000);
      else throw new ComputeModelError('InvalidParameter', 'Give "seconds" (> 0) or "to" (an ISO time).');
      return clock.now();
    },
    calls,
    callsByOperation: () => Object.fromEntries(callCounts),
    reset,
  };

  const certificate = await createEmulatorCertificate();
  let baseUrl = '';
  const entra = await createEntraIssuer(() => baseUrl, options.entra);
  const routes = [
    ...createEntraRoutes(entra),
    ...createComputeRoutes({ registry, operations, clock, speed: options.clock?.speed, vmListPageSize: () => pageSize }),
    ...createNetworkRoutes({ registry, slots: natSlots, clock, async: () => portMappingsAsync }),
    ...createMonitorRoutes({ store, clock, resolve: (id) => registry.get(id.startsWith('/') ? id : `/${id}`) }),
    ...batch.routes,
    ...createControlRoutes(control),
  ];
  const server = await startEmulatorServer({
    certificate, port: options.port ?? 7443, routes: () => routes, faults, log: options.log,
    onCall: (op) => callCounts.set(op, (callCounts.get(op) ?? 0) + 1),
  });
  baseUrl = server.url;
  if (options.connectionInfoFile) writeConnectionInfo(options.connectionInfoFile, server.url, certificate.cert, entra);

  return {
    url: server.url,
    caPem: certificate.cert,
    clock,
    compute,
    network: { setPortMappingsAsync: (on) => void (portMappingsAsync = on) },
    batch,
    entra,
    faults: { add: (r) => faults.add(r), remove: (id) => void faults.remove(id), clear: () => faults.clear(), list: () => faults.list() },
    calls,
    reset,
    async stop() {
      clock.stop();
      await server.close();
    },
  };
}

function writeConnectionInfo(file: string, url: string, caPem: string, entra: EntraIssuer): void {
  mkdirSync(dirname(file), { recursive: true });
  const caFile = join(dirname(file), 'emulator-ca.pem');
  writeFileSync(caFile, caPem);
  const tokenUrl = `${url}/_emulator/entra/token`;
  writeFileSync(file, JSON.stringify({ url, caFile, entra: { tenantId: entra.tenantId, clientId: entra.clientId, issuer: entra.issuer, tokenUrl } }, null, 2));
}
