// Drives one autoscale pool through the real stack (Azurite + emulator + local host) in simulated time.
import { TableClient } from '@azure/data-tables';
import { ADMIN_ROLE, authHeaders, USER_ROLE } from '../../support/identity.js';
import type { TestStack } from '../../support/stack.js';

/** A caller of the API: a user name and the app roles its token carries. */
export interface Identity {
  user: string;
  roles: string[];
}
export const ADMIN: Identity = { user: 'admin@example.com', roles: [ADMIN_ROLE] };
export const USER: Identity = { user: 'alice@example.com', roles: [USER_ROLE] };
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
  /** Calls `/api/{path}` as `as` (default USER); `as: null` sends no credentials. */
  api(path: string, init?: RequestInit & { as?: Identity | null }): Promise<Response>;
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
  drained?: string[];
  pending?: string[];
  settled?: string[];
}

export function poolFixture(stack: TestStack, pool: string, capacity = 0): PoolFixture {
  const id = stack.emulator.compute.createScaleSet({ resourceGroup: 'rg-autoscale', name: pool, capacity });
  const api = async (path: string, init: RequestInit & { as?: Identity | null } = {}) => {
    const who = init.as === undefined ? USER : init.as;
    const auth = who ? await authHeaders(stack, who.user, who.roles) : {};
    return fetch(`${stack.host.url}/api/${path}`, { ...init, redirect: 'manual', headers: { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } });
  };
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
