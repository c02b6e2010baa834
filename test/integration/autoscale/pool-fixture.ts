// Drives one autoscale pool through the real stack (Azurite + emulator + local host) in simulated time.
import { TableClient } from '@azure/data-tables';
import { principalHeader } from '../../../src/http/identity.js';
import type { TestStack } from '../../support/stack.js';

export const ADMIN = principalHeader('admin@example.com', ['DsvmPool.Admin']);
export const USER = principalHeader('alice@example.com');
const MINUTE = 60_000;

export interface PoolFixture {
  pool: string;
  id: string;
  putPolicy(fields: Record<string, unknown>): Promise<Response>;
  tick(): Promise<void>;
  /** Moves simulated time minute by minute, running the autoscale timer after each minute. */
  minutes(n: number, options?: { tick?: boolean }): Promise<void>;
  states(): string[];
  events(top?: number): Promise<EventView[]>;
  api(path: string, init?: RequestInit & { as?: Record<string, string> }): Promise<Response>;
}

export interface EventView {
  kind: string;
  outcome: string;
  direction: string;
  reason: string;
  trigger: string;
  error?: { code: string; message: string; step?: string };
  problems?: { field: string; reason: string }[];
  steps?: string[];
  plan?: { start: string[]; newCapacity?: number; deallocate: string[]; delete: string[] };
}

export function poolFixture(stack: TestStack, pool: string, capacity = 0): PoolFixture {
  const id = stack.emulator.compute.createScaleSet({ resourceGroup: 'rg-autoscale', name: pool, capacity });
  const api = (path: string, init: RequestInit & { as?: Record<string, string> } = {}) =>
    fetch(`${stack.host.url}/api/${path}`, { ...init, redirect: 'manual', headers: { ...(init.as ?? USER), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } });
  const tick = () => stack.host.runTimer('autoscale');
  return {
    pool,
    id,
    api,
    tick,
    putPolicy: (fields) => api(`pools/${pool}/policy`, { method: 'PUT', as: ADMIN, body: JSON.stringify({ kind: 'vmss', target: id, ...fields }) }),
    async minutes(n, options = {}) {
      for (let i = 0; i < n; i++) {
        stack.emulator.clock.advance(MINUTE);
        if (options.tick !== false) await tick();
      }
    },
    states: () => stack.emulator.compute.instances(id).map((i) => `${i.instanceId}:${i.state}`),
    async events(top = 50) {
      const r = await api(`pools/${pool}/events?top=${top}`);
      return ((await r.json()) as { items: EventView[] }).items;
    },
  };
}

/** Writes a policy row directly, as an admin editing the table by hand would. */
export async function writeRawPolicy(stack: TestStack, pool: string, fields: Record<string, string | number | boolean>): Promise<void> {
  const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'policies', { allowInsecureConnection: true });
  await table.upsertEntity({ partitionKey: 'pool', rowKey: pool, ...fields }, 'Replace');
}
