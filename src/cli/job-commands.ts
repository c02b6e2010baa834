// The job commands: submit, status, list/ls, logs, cancel, wait. Each calls the HTTP API and prints a table or
// JSON; `submit --wait`, `wait` and `logs -f` follow the job.
import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { ago, type AppTime } from './app-time.js';
import { ApiError, type ApiClient } from './client.js';
import { EXIT } from './exit-codes.js';
import { describe, followJob, type JobView } from './follow.js';
import { buildSpec, readJobFile, type SubmitFlags } from './job-file.js';
import type { Output } from './output.js';
import { outcomeOpen, submitOnce } from './submit-job.js';

export interface Context {
  client(): ApiClient;
  out(): Output;
  /** Poll interval in ms for --wait, wait and logs -f. */
  intervalMs(): number;
  /** The app's clock, read once per command (locally the emulator's; else the system clock), for ages shown to people. */
  appTime(): Promise<AppTime>;
  exit(code: number): void;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function jobCommands(program: Command, ctx: Context): void {
  program
    .command('submit')
    .description('submit a job from flags and/or a YAML or JSON job file')
    .argument('[file]', 'job file (YAML or JSON) with the job spec fields: name, commandLine, resources, env, array, dependsOn, …')
    .option('-n, --name <name>', 'a name for people')
    .option('-c, --command <commandLine>', 'what the task runs (not a shell: use /bin/bash -c "…")')
    .option('--image <image>', 'container image to run the command in')
    .option('--gpus <n>', 'GPUs on one node')
    .option('--cpus <n>', 'vCPUs on one node')
    .option('--memory <GiB>', 'memory on one node, in GiB')
    .option('--pool <pool>', 'a pool name, or auto')
    .option('-e, --env <NAME=VALUE>', 'an environment variable (repeatable)', collect)
    .option('--array <n>', 'run N indexed tasks (DSVMPOOL_ARRAY_INDEX 0…N-1)')
    .option('--depends-on <jobId>', 'start only after this job of yours succeeds (repeatable)', collect)
    .option('--timeout <minutes>', 'wall-clock limit per attempt')
    .option('--retries <n>', 'retries of a failed attempt')
    .option('--idempotency-key <key>', 'resending with the same key and body gives the same job (default: a fresh one per submit, reused by its retries)')
    .option('-w, --wait', 'follow the job until it ends; exit with its outcome')
    .option('--wait-timeout <seconds>', 'with --wait: stop waiting after this long (exit 7)')
    .action(async (file: string | undefined, flags: SubmitFlags & { idempotencyKey?: string; wait?: boolean; waitTimeout?: string }) => {
      const spec = buildSpec(file ? readJobFile(file) : undefined, flags);
      const out = ctx.out();
      const idempotencyKey = flags.idempotencyKey ?? randomUUID();
      const body = await submitOnce(ctx.client(), spec, {
        idempotencyKey,
        onRetry: (why, wait, key) => out.message(`not confirmed (${why}); sending again in ${wait} s with Idempotency-Key ${key}, so it is taken once`),
      }).catch((e: unknown) => {
        // Still open after every attempt: the job may be stored. The same key finds it (kept 24 hours), never a second one.
        if (outcomeOpen(e)) out.message(`the job may have been taken; to find out without making a second one, submit again with --idempotency-key ${idempotencyKey}`);
        throw e;
      });
      const r = { body };
      if (!flags.wait) {
        out.data(r.body.job, () => r.body.id);
        out.message(`submitted ${r.body.job.name} as ${r.body.id}; follow it with: dsvm-pool wait ${r.body.id}`);
        return;
      }
      out.message(`submitted ${r.body.job.name} as ${r.body.id}`);
      const done = await followJob(ctx.client(), out, r.body.id, { intervalMs: ctx.intervalMs(), timeoutSeconds: flags.waitTimeout ? Number(flags.waitTimeout) : undefined });
      if (done.job) out.data(done.job, () => describe(done.job!, out) + (done.job!.reason ? `\n${done.job!.reason}` : ''));
      ctx.exit(done.code);
    });

  program
    .command('status')
    .description("a job's state, pool, exit code, and why it failed or waits")
    .argument('<id>', 'job id')
    .action(async (id: string) => {
      const job = (await ctx.client().call<JobView & Record<string, unknown>>('GET', `/jobs/${encodeURIComponent(id)}`)).body;
      const out = ctx.out();
      out.data(job, () => {
        const lines = [describe(job, out), `submitted ${job.submittedAt} by ${job.user}`];
        if (job.exitCode !== undefined) lines.push(`exit code ${job.exitCode}`);
        if (job.reason) lines.push(`reason: ${job.reason}`);
        return lines.join('\n');
      });
    });

  program
    .command('list')
    .alias('ls')
    .description('your jobs, newest first (--all: everyone\'s, admins)')
    .option('--state <state>', 'only jobs in this state')
    .option('--pool <pool>', 'only jobs on this pool')
    .addOption(new Option('--all', "everyone's jobs (admins)").conflicts('user'))
    .option('--user <user>', "one user's jobs (admins)")
    .option('--top <n>', 'how many (1-100)', '20')
    .action(async (o: { state?: string; pool?: string; all?: boolean; user?: string; top: string }) => {
      const q = new URLSearchParams({ top: o.top });
      if (o.state) q.set('state', o.state);
      if (o.pool) q.set('pool', o.pool);
      // The CLI always names whose jobs: an admin's listing without user= would be everyone's, and a user's --all
      // must be refused (403 LIST_FORBIDDEN), not answered with their own jobs as if they were everyone's.
      q.set('user', o.user ?? (o.all ? '*' : 'me'));
      const listed = ctx
        .client()
        .call<{ items: JobView[]; continuationToken?: string }>('GET', `/jobs?${q}`)
        .catch((e: unknown) => {
          // The app's refusal names its query (user=); say it in the CLI's own options.
          if (!(e instanceof ApiError) || e.code !== 'LIST_FORBIDDEN') throw e;
          const why = o.all ? "only admins may list everyone's jobs (--all)" : `only admins may list another user's jobs (--user ${o.user ?? ''})`;
          throw new ApiError(e.status, e.code, `${why}; \`dsvm-pool ls\` lists your own`, e.errors);
        });
      // The app's clock is read beside the listing, so the ages cost no extra wait.
      const [page, at] = await Promise.all([listed.then((r) => r.body), ctx.appTime()]);
      const out = ctx.out();
      const items = page.items;
      out.data(page, () =>
        items.length === 0
          ? 'no jobs'
          : out.table(
              ['id', 'name', 'state', 'pool', 'submitted', ...(o.all ? ['user'] : []), 'detail'],
              items.map((j) => [j.id, j.name, out.state(j.state), j.pool ?? '-', ago(j.submittedAt, at), ...(o.all ? [j.user] : []), j.tasks ? `${j.tasks.succeeded}/${j.tasks.total} tasks ok` : (j.waitingFor ?? j.reason ?? '')]),
            ),
      );
    });

  program
    .command('logs')
    .description("a job's stdout or stderr (-f follows it while it runs)")
    .argument('<id>', 'job id')
    .option('--stream <stream>', 'stdout or stderr', 'stdout')
    .option('--index <n>', 'array jobs: which task')
    .option('-f, --follow', 'keep reading until the job ends')
    .action(async (id: string, o: { stream: string; index?: string; follow?: boolean }) => {
      const out = ctx.out();
      let offset = 0;
      const pages: unknown[] = [];
      for (;;) {
        const q = new URLSearchParams({ stream: o.stream, offset: String(offset) });
        if (o.index !== undefined) q.set('index', o.index);
        const page = (await ctx.client().call<{ text: string; nextOffset: number; complete: boolean; state: string }>('GET', `/jobs/${encodeURIComponent(id)}/logs?${q}`)).body;
        if (out.json) pages.push(page);
        else out.raw(page.text);
        const more = page.nextOffset > offset;
        offset = page.nextOffset;
        if (page.complete || (!o.follow && !more)) break;
        if (!more) await new Promise((r) => setTimeout(r, ctx.intervalMs()));
      }
      if (out.json) out.data(pages, () => '');
    });

  program
    .command('cancel')
    .description('cancel a job (an array: every task not finished)')
    .argument('<id>', 'job id')
    .action(async (id: string) => {
      const r = await ctx.client().call<JobView>('POST', `/jobs/${encodeURIComponent(id)}/cancel`);
      const out = ctx.out();
      out.data(r.body, () => `${r.body.id} ${out.state(r.body.state)}`);
    });

  program
    .command('wait')
    .description("wait until a job ends; the exit code is its outcome (0 succeeded, 1 failed, 6 cancelled, 7 timeout)")
    .argument('<id>', 'job id')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 7)')
    .action(async (id: string, o: { timeout?: string }) => {
      const out = ctx.out();
      const done = await followJob(ctx.client(), out, id, { intervalMs: ctx.intervalMs(), timeoutSeconds: o.timeout ? Number(o.timeout) : undefined });
      if (done.job) out.data(done.job, () => describe(done.job!, out) + (done.job!.reason ? `\n${done.job!.reason}` : ''));
      ctx.exit(done.code === EXIT.ok ? EXIT.ok : done.code);
    });
}
