// The pool commands: pools (status, with why), policy get|set, events, usage. connect and ssh: session-commands.ts.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
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
  /** Set by GET /api/pools when reading this pool failed (Azure or storage trouble): the code and message. */
  error?: { code: string; message: string };
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
                p.problem || p.error ? 'error' : (p.now?.direction ?? '-'),
                p.problem?.detail ?? (p.error ? `${p.error.code}: ${p.error.message}` : [p.now?.reason, ...(p.warnings ?? [])].filter(Boolean).join('; ')),
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
    .description("a pool's recent scale events, newest first: what autoscale did and why (a page at a time)")
    .argument('<pool>', 'pool name')
    .option('--top <n>', 'how many on this page (1-200)', '20')
    .option('--page-token <token>', 'the next page: the token the previous page printed')
    .action(async (pool: string, o: { top: string; pageToken?: string }) => {
      const query = `top=${encodeURIComponent(o.top)}${o.pageToken ? `&continuationToken=${encodeURIComponent(o.pageToken)}` : ''}`;
      const r = (await ctx.client().call<{ items: { at: string; kind: string; outcome?: string; reason?: string }[]; continuationToken?: string }>('GET', `/pools/${encodeURIComponent(pool)}/events?${query}`)).body;
      const out = ctx.out();
      out.data(r, () => (r.items.length ? out.table(['at', 'kind', 'outcome', 'reason'], r.items.map((e) => [e.at, e.kind, e.outcome ?? '', e.reason ?? ''])) : 'no events'));
      if (r.continuationToken && !out.json) out.message(`more: dsvm-pool events ${pool} --top ${o.top} --page-token ${r.continuationToken}`);
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
}
