// Drives the broker through the real stack: people ask POST /sessions as themselves and, as simulated users, open
// their session on the VM the broker named once it runs.
import { USER_ROLE } from '../../support/identity.js';
import type { TestStack } from '../../support/stack.js';
import { poolFixture, type Identity, type PoolFixture } from '../autoscale/pool-fixture.js';

/** The ONE place broker tests say who they are: an ordinary user, whose Entra token the pool fixture mints. */
export const as = (user: string): Identity => ({ user, roles: [USER_ROLE] });

export interface Answer {
  status: number;
  outcome: 'placed' | 'waiting';
  instanceId?: string;
  ready?: boolean;
  readyAt?: string;
  by?: string;
  position?: number;
  reason?: string;
}

export interface BrokerFixture extends PoolFixture {
  ask(user: string, kind?: 'jupyter' | 'ssh'): Promise<Answer>;
  /** Opens the session of every placed user whose VM runs now; returns who connected. */
  connectPlaced(placed: Map<string, Answer>): string[];
  /** Sessions per running VM, and whether any VM is over its seats while another running VM has room. */
  seating(seats: number): { perVm: Record<string, number>; overWhileRoom: boolean };
  /** One simulated minute: clock, reporter rows landed, then the autoscale timer. */
  minute(): Promise<void>;
}

export function brokerFixture(stack: TestStack, pool: string, capacity = 0): BrokerFixture {
  const p = poolFixture(stack, pool, capacity);
  return {
    ...p,
    async ask(user, kind = 'jupyter') {
      const r = await p.api(`pools/${pool}/sessions`, { method: 'POST', as: as(user), body: JSON.stringify({ kind }) });
      const body = (await r.json()) as Omit<Answer, 'status'>;
      return { status: r.status, ...body };
    },
    connectPlaced(placed) {
      const running = new Set(stack.emulator.compute.instances(p.id).filter((i) => i.state === 'running').map((i) => i.instanceId));
      const done: string[] = [];
      for (const [user, a] of placed) {
        if (a.outcome !== 'placed' || !running.has(a.instanceId!)) continue;
        stack.emulator.compute.openSession(p.id, a.instanceId!, user, 'jupyter');
        done.push(user);
      }
      for (const u of done) placed.delete(u);
      return done;
    },
    seating(seats) {
      const vms = stack.emulator.compute.instances(p.id).filter((i) => i.state === 'running');
      const perVm = Object.fromEntries(vms.map((v) => [v.instanceId, v.sessions.jupyter + v.sessions.ssh]));
      const counts = Object.values(perVm);
      return { perVm, overWhileRoom: counts.some((n) => n > seats) && counts.some((n) => n < seats) };
    },
    async minute() {
      stack.emulator.clock.advance(60_000);
      await stack.emulator.compute.flushReports();
      await p.tick();
    },
  };
}
