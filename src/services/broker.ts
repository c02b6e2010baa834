// Composition root of the connection broker: the poolbroker and vmsessions tables, and an evaluation of the pool when
// nobody can be seated. Trigger files call these functions and never build adapters themselves.
import { AutoscaleError } from '../autoscale/errors.js';
import { evaluateWithTimeout } from '../autoscale/tick.js';
import { loadVmssPolicy } from '../autoscale/pool-policy.js';
import type { TickDeps } from '../autoscale/tick.js';
import { createBrokerStore } from '../azure/broker-store.js';
import { createNatEndpointReader } from '../azure/nat-endpoints.js';
import { tableClient } from '../azure/storage.js';
import { createVmReportStore } from '../azure/vm-reports.js';
import type { BrokerStore } from '../broker/broker-store.port.js';
import { connectUser, type ConnectResult } from '../broker/connect-user.js';
import type { SeatRequest } from '../broker/place.js';
import { createSeatBroker } from '../broker/seat-broker.js';
import type { SeatBroker } from '../autoscale/seat-broker.port.js';
import type { Config } from '../config.js';

export interface BrokerService {
  /** Places the user (or queues them and evaluates the pool). */
  connect(pool: string, request: SeatRequest): Promise<ConnectResult>;
}

export interface BrokerParts {
  store: BrokerStore;
  seatBroker: SeatBroker;
}

export function brokerPartsFromConfig(cfg: Config): BrokerParts {
  const store = createBrokerStore(tableClient(cfg, 'poolbroker'));
  return { store, seatBroker: createSeatBroker(store, createVmReportStore(tableClient(cfg, 'vmsessions')), createNatEndpointReader(cfg)) };
}

export function createBrokerService(deps: TickDeps, store: BrokerStore): BrokerService {
  const enabledPolicy = async (pool: string) => {
    const policy = await loadVmssPolicy(deps.policies, pool);
    if (!policy.enabled) {
      throw new AutoscaleError('POOL_DISABLED', `Autoscale is switched off for pool "${pool}" (enabled: false), so nobody can be given a seat. An admin can enable it with PUT /api/pools/${pool}/policy.`);
    }
    return policy;
  };
  const evaluate = async (pool: string, options: { settle?: boolean } = {}) => {
    // Bounded by DSVMPOOL_POOL_TIMEOUT_SECONDS like the timer's: a slow Azure never holds a connect, or the lease.
    const r = await evaluateWithTimeout(deps, pool, await enabledPolicy(pool), { trigger: 'connect', settle: options.settle === true });
    return { outcome: r.outcome, error: r.event?.error };
  };
  const ensurePool = async (pool: string) => void (await enabledPolicy(pool));
  return { connect: (pool, request) => connectUser({ store, now: deps.now, evaluate, ensurePool }, pool, request) };
}
