// `connect` and `ssh`: a seat on a VM pool through the connection broker (POST /api/pools/{pool}/sessions). While the
// broker says to wait, a progress line on a terminal (one line per change elsewhere) shows the place in the queue and
// the estimate; once the VM runs, `connect` prints the URL (and opens it with --open) and `ssh` runs ssh to the VM's
// NAT port.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { SPINNER } from './follow.js';
import type { Context } from './job-commands.js';
import { endpointOf, jupyterTarget, shellLine, sshArgv, waitKey, waitLine, type SessionAnswer } from './session-answer.js';
import { CliUsageError } from './settings.js';

type Placed = Extract<SessionAnswer, { outcome: 'placed' }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the broker until the user's VM runs; undefined (and EXIT.timeout set) when `timeoutSeconds` passed first. */
async function seat(ctx: Context, pool: string, kind: 'jupyter' | 'ssh', timeoutSeconds: number): Promise<Placed | undefined> {
  const out = ctx.out();
  const started = Date.now();
  let lastKey = '';
  for (let tick = 0; ; tick++) {
    const a = (await ctx.client().call<SessionAnswer>('POST', `/pools/${encodeURIComponent(pool)}/sessions`, { kind })).body;
    if (a.outcome === 'placed' && a.ready) {
      out.clearProgress();
      return a;
    }
    const line = waitLine(pool, a);
    const key = waitKey(a);
    if (key !== lastKey && !out.isTTY) out.message(line);
    lastKey = key;
    const elapsed = Math.round((Date.now() - started) / 1000);
    // Elapsed first: a narrow terminal cuts the end of the line.
    out.progress(`${SPINNER[tick % SPINNER.length]} ${elapsed}s  ${line}`);
    if (elapsed >= timeoutSeconds) {
      out.clearProgress();
      out.message(`no seat on ${pool} after ${timeoutSeconds}s; stopped waiting (ask again to keep your place in the queue)`);
      ctx.exit(EXIT.timeout);
      return undefined;
    }
    await sleep(ctx.intervalMs());
  }
}

function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new CliUsageError(`${flag} must be a number of seconds above 0, found "${value}"`);
  return n;
}

/** Hands the URL to the desktop's opener; a missing opener is a message, not a failure (the URL is printed anyway). */
function openUrl(url: string, warn: (text: string) => void): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true, windowsVerbatimArguments: true });
  child.on('error', (e) => warn(`could not open a browser (${command}: ${e.message}); open the URL yourself`));
  child.unref();
}

/** Runs ssh on this terminal; resolves with its exit code (ssh's own 255 for its errors, 128+n for a signal). */
function runSsh(argv: string[]): Promise<number> {
  // Ctrl-C on the terminal reaches ssh too; ssh decides, and this process stays to pass on its exit code.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  return new Promise<number>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
    child.on('error', (e) => reject(new CliUsageError(`cannot run ${argv[0]}: ${e.message} (is OpenSSH's client installed?)`)));
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  }).finally(() => process.off('SIGINT', ignore));
}

export function sessionCommands(program: Command, ctx: Context): void {
  program
    .command('connect')
    .description('get a Jupyter seat on a VM pool through the broker: waits for your VM, then prints the URL to open')
    .argument('<pool>', 'pool name')
    .option('--open', 'also open the URL in your browser (xdg-open, open or start)')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 7)', '600')
    .action(async (pool: string, o: { open?: boolean; timeout: string }) => {
      const out = ctx.out();
      const a = await seat(ctx, pool, 'jupyter', seconds(o.timeout, '--timeout'));
      if (!a) return;
      const target = jupyterTarget(a);
      if (!target) {
        out.message(`a seat is held for you on VM ${a.instanceId} of ${pool}, but the app knows no address to send you to: no per-VM port is known and the pool's policy has no connectUrl; ask an admin to set connectUrl`);
        ctx.exit(EXIT.noEndpoint);
        return;
      }
      if (!target.vm) out.message(`VM ${a.instanceId} is yours; the pool's connect URL signs you in`);
      out.data({ pool, instanceId: a.instanceId, url: target.url, vmAddress: target.vm }, () => target.url);
      if (o.open) openUrl(target.url, (text) => out.message(text));
    });

  program
    .command('ssh')
    .description('ssh to your seat on a VM pool through the broker: waits for your VM, then runs ssh -p PORT [LOGIN@]HOST')
    .argument('<pool>', 'pool name')
    .argument('[ssh-args...]', 'more arguments for ssh, after --: options (-L 8888:localhost:8888) or a remote command')
    .option('-l, --login <name>', 'the user name on the VM (default: your account on the pool VMs, which the app derives from your sign-in name)')
    .option('--print', 'print the ssh command instead of running it')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 7)', '600')
    .action(async (pool: string, extra: string[], o: { login?: string; print?: boolean; timeout: string }) => {
      const out = ctx.out();
      const a = await seat(ctx, pool, 'ssh', seconds(o.timeout, '--timeout'));
      if (!a) return;
      const endpoint = endpointOf(a.endpoint);
      if (!endpoint) {
        out.message(`a seat is held for you on VM ${a.instanceId} of ${pool}, but the app does not know its ssh address (per-VM ports are not known yet), so there is no host and port to ssh to`);
        ctx.exit(EXIT.noEndpoint);
        return;
      }
      const argv = sshArgv(endpoint, o.login ?? a.login ?? undefined, extra);
      if (o.print) {
        out.data({ pool, instanceId: a.instanceId, host: endpoint.host, port: endpoint.port, argv }, () => shellLine(argv));
        return;
      }
      out.message(`VM ${a.instanceId}: ${shellLine(argv)}`);
      ctx.exit(await runSsh(argv));
    });
}
