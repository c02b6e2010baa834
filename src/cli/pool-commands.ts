// The pool commands: pools (status, with why), policy get|set, events, usage, connect and ssh.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ApiError } from './client.js';
import { EXIT } from './exit-codes.js';
import type { Context } from './job-commands.js';
import { CliUsageError } from './settings.js';

interface PoolStatus {
  pool: string;
  enabled?: boolean;
  capacity?: number;
  instances?: { state: string; sessions: number | null }[];
  now?: { direction: string; reason: string };
  warnings?: string[];
  problem?: { code: string; detail: string };
}

export function poolCommands(program: Command, ctx: Context): void {
  program
    .command('pools')
    .description('the pools, their VMs and sessions, and what autoscale would do now and why')
    .argument('[pool]', 'one pool in detail')
    .action(async (pool: string | undefined) => {
      const out = ctx.out();
      if (pool) {
        const s = (await ctx.client().call<PoolStatus>('GET', `/pools/${encodeURIComponent(pool)}`)).body;
        out.data(s, () => JSON.stringify(s, null, 2));
        return;
      }
      const list = (await ctx.client().call<{ items: PoolStatus[] }>('GET', '/pools')).body;
      out.data(list, () =>
        list.items.length === 0
          ? 'no pools'
          : out.table(
              ['pool', 'vms', 'sessions', 'now', 'why'],
              list.items.map((p) => [
                p.pool,
                String(p.capacity ?? p.instances?.length ?? '-'),
                String((p.instances ?? []).reduce((n, i) => n + (i.sessions ?? 0), 0)),
                p.problem ? 'error' : (p.now?.direction ?? '-'),
                p.problem?.detail ?? [p.now?.reason, ...(p.warnings ?? [])].filter(Boolean).join('; '),
              ]),
            ),
      );
    });

  const policy = program.command('policy').description("read or change a pool's policy (admins)");
  policy
    .command('get')
    .argument('<pool>', 'pool name')
    .action(async (pool: string) => {
      const r = (await ctx.client().call<{ policy: unknown; problems?: unknown }>('GET', `/pools/${encodeURIComponent(pool)}/policy`)).body;
      ctx.out().data(r, () => JSON.stringify(r.policy, null, 2) + (r.problems ? `\nproblems: ${JSON.stringify(r.problems)}` : ''));
    });
  policy
    .command('set')
    .argument('<pool>', 'pool name')
    .argument('<file>', 'the whole policy as YAML or JSON (kind: vmss or batch, …)')
    .action(async (pool: string, file: string) => {
      let body: unknown;
      try {
        body = parseYaml(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new CliUsageError(`cannot read policy file ${file}: ${(error as Error).message.split('\n')[0]}`);
      }
      const r = (await ctx.client().call<{ policy: unknown }>('PUT', `/pools/${encodeURIComponent(pool)}/policy`, body)).body;
      ctx.out().data(r, () => `policy of ${pool} saved`);
    });

  program
    .command('events')
    .description("a pool's recent scale events, newest first: what autoscale did and why")
    .argument('<pool>', 'pool name')
    .option('--top <n>', 'how many (1-200)', '20')
    .action(async (pool: string, o: { top: string }) => {
      const r = (await ctx.client().call<{ items: { at: string; kind: string; outcome?: string; reason?: string }[] }>('GET', `/pools/${encodeURIComponent(pool)}/events?top=${encodeURIComponent(o.top)}`)).body;
      const out = ctx.out();
      out.data(r, () => (r.items.length ? out.table(['at', 'kind', 'outcome', 'reason'], r.items.map((e) => [e.at, e.kind, e.outcome ?? '', e.reason ?? ''])) : 'no events'));
    });

  program
    .command('usage')
    .description("each user's use of a Batch pool, as of the last sync tick (admins)")
    .argument('<pool>', 'pool name')
    .action(async (pool: string) => {
      const r = (await ctx.client().call<{ at?: string; users: { user: string; gpus: number; tasks: number; queued: number; held: number }[] }>('GET', `/pools/${encodeURIComponent(pool)}/usage`)).body;
      const out = ctx.out();
      out.data(r, () => (r.users.length ? out.table(['user', 'gpus', 'tasks', 'queued', 'held'], r.users.map((u) => [u.user, String(u.gpus), String(u.tasks), String(u.queued), String(u.held)])) : `nobody is using ${pool}`));
    });

  program
    .command('connect')
    .description('get a seat on a VM pool: wakes it if needed, waits, then prints the URL to open')
    .argument('<pool>', 'pool name')
    .option('--timeout <seconds>', 'stop waiting after this long', '600')
    .action(async (pool: string, o: { timeout: string }) => {
      // Today's connect route (GET /api/pools/{pool}/connect): a 302 to the pool's connectUrl once a VM is ready.
      // When the broker's POST /api/pools/{pool}/sessions lands, this asks it for a placement instead.
      const out = ctx.out();
      const deadline = Date.now() + Number(o.timeout) * 1000;
      for (let tick = 0; ; tick++) {
        const r = await ctx.client().call('GET', `/pools/${encodeURIComponent(pool)}/connect`);
        const location = r.headers.get('location');
        if (r.status === 302 && location) {
          out.data({ pool, url: location }, () => location);
          return;
        }
        if (Date.now() > deadline) {
          out.message(`no VM of ${pool} is ready yet; try again later`);
          ctx.exit(EXIT.timeout);
          return;
        }
        out.progress(`waiting for a VM of ${pool}… ${tick * Math.round(ctx.intervalMs() / 1000)}s`);
        await new Promise((r2) => setTimeout(r2, ctx.intervalMs()));
      }
    });

  program
    .command('ssh')
    .description('ssh to your seat on a VM pool (needs the session broker)')
    .argument('<pool>', 'pool name')
    .action(async (pool: string) => {
      try {
        await ctx.client().call('POST', `/pools/${encodeURIComponent(pool)}/sessions`, { kind: 'ssh' });
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
          throw new CliUsageError(`this app has no session broker yet (POST /api/pools/${pool}/sessions), so it cannot name an ssh host and port; use "dsvm-pool connect ${pool}" for the pool's connect URL`);
        }
        throw error;
      }
      throw new CliUsageError('ssh through the session broker is not wired in this version of the CLI');
    });
}
