// The `dsvm-pool` CLI end to end: the built command spawned as a process against the real stack (Azurite, the
// emulator, the host) over HTTP, a token from the emulator's Entra issuer (validated by the app), and one run under a
// pseudo-terminal (util-linux `script`) for the progress line. connect/ssh go through the connection broker on a VM
// scale set pool of the emulator; ssh runs the real OpenSSH client.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/local/emulator/index.js';
import { authHeaders } from '../../support/identity.js';
import { projectRoot } from '../../support/stack.js';
import { brokerFixture } from '../broker/broker-fixture.js';
import { startJobsStack, type JobsStack } from '../jobs/jobs-stack.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('dsvm-pool CLI', () => {
  let s: JobsStack;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-cli-'));

  beforeAll(async () => {
    // The app validates Entra tokens as in Azure; the CLI asks the emulator's Entra issuer for one
    // (POST /_emulator/entra/token over HTTPS, trusting the emulator's CA).
    s = await startJobsStack();
    const caFile = join(dir, 'emulator-ca.pem');
    writeFileSync(caFile, s.emulator.caPem);
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      DSVMPOOL_URL: s.host.url,
      DSVMPOOL_EMULATOR_URL: s.emulator.url,
      DSVMPOOL_EMULATOR_CA_FILE: caFile,
      DSVMPOOL_USER: 'ann@example.com',
      DSVMPOOL_CONFIG: join(dir, 'none.json'),
    };
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin/dsvm-pool.js'), '--interval', '0.1', ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return { done, exited: () => child.exitCode !== null, stderr: () => stderr };
  };
  const cli = (...args: string[]) => start(args).done;
  /** Runs the CLI while moving simulated time, as a person waiting on a real pool would see it. */
  const cliWhileTicking = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = start(args, extraEnv);
    let finished = false;
    void run.done.then(() => (finished = true));
    for (let i = 0; i < 200 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!finished) await s.tick();
    }
    return run.done;
  };

  it('submits from flags, shows status and lists it; data on stdout, messages on stderr; the token comes from the token route', async () => {
    const sub = await cli('submit', '--name', 'cli-train', '--command', 'python train.py', '--cpus', '2', '-e', 'EMULATOR_TASK_SECONDS=30', '--json');
    expect(sub.code, sub.stderr).toBe(0);
    const job = JSON.parse(sub.stdout);
    expect(job).toMatchObject({ name: 'cli-train', state: 'queued', spec: { resources: { cpus: 2 } } });
    expect(sub.stderr).toContain(`submitted cli-train as ${job.id}`);
    expect(job.user).toBe('ann@example.com'); // who the token says, as the app validated it

    const status = await cli('status', job.id);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`cli-train (${job.id})`);
    const list = await cli('ls');
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATE\s+POOL\s+SUBMITTED\s+DETAIL$/);
    expect(list.stdout).toContain(job.id);
    expect(list.stdout).not.toContain('\x1b['); // not a terminal: no colour
    const json = JSON.parse((await cli('list', '--json')).stdout);
    expect(json.items.map((j: { id: string }) => j.id)).toContain(job.id);
    // Everyone's jobs are for admins: a user's --all is refused with a reason, not answered with their own list.
    const all = await cli('ls', '--all');
    expect(all.code).not.toBe(0);
    expect(all.stderr).toContain("only admins may list everyone's jobs (--all); `dsvm-pool ls` lists your own");
    const other = await cli('ls', '--user', 'bob@example.com');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("only admins may list another user's jobs (--user bob@example.com)");
    // --all and --user ask two things; the CLI says so instead of silently dropping one.
    const both = await cli('--admin', 'ls', '--all', '--user', 'ann@example.com');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/option '--all' cannot be used with option '--user <user>'/);
    const admins = await cli('--admin', 'ls', '--all');
    expect(admins.code, admins.stderr).toBe(0);
    expect(admins.stdout.split('\n')[0]).toMatch(/\bUSER\b/);
    expect(admins.stdout).toContain('ann@example.com');
  });

  it('ls shows ages in real time against the app clock: app seconds on a manual clock, app time / 60 at npm start\'s 60×', async () => {
    // This stack's clock is manual (speed left out of GET /_emulator/clock): ages are app seconds, read from the
    // emulator, not the machine's clock (the stack's app time is weeks behind the real one).
    const sub = await cli('submit', '-n', 'aged', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=3600', '--json');
    const job = JSON.parse(sub.stdout) as { id: string; submittedAt: string };
    s.emulator.clock.advance(45_000);
    const row = (r: Run) => r.stdout.split('\n').find((l) => l.startsWith(job.id)) ?? r.stdout;
    expect(row(await cli('ls'))).toMatch(/\b45s ago\b/);

    // npm start's clock runs 60× from the job's submit time: a few real seconds later app time has moved minutes,
    // and ls says a few seconds, neither "0s ago" nor minutes. Tokens still come from the stack's issuer.
    const scaled = await startEmulator({ port: 0, clock: { start: new Date(job.submittedAt), speed: 60 } });
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      const { authorization } = await authHeaders(s, 'ann@example.com');
      const scaledEnv = { DSVMPOOL_EMULATOR_URL: scaled.url, DSVMPOOL_EMULATOR_CA_FILE: join(dir, 'scaled-ca.pem'), DSVMPOOL_TOKEN: authorization.replace(/^Bearer /, '') };
      writeFileSync(scaledEnv.DSVMPOOL_EMULATOR_CA_FILE, scaled.caPem);
      const ls = await start(['ls'], scaledEnv).done;
      expect(ls.code, ls.stderr).toBe(0);
      expect(scaled.clock.now().getTime() - Date.parse(job.submittedAt)).toBeGreaterThanOrEqual(120_000);
      expect(row(ls)).toMatch(/\b([2-9]|1\d)s ago\b/);
      // The emulator gone (the read fails): the system clock, as in Azure, and no error.
      await scaled.stop();
      const gone = await start(['ls'], scaledEnv).done;
      expect(gone.code, gone.stderr).toBe(0);
      expect(row(gone)).toMatch(/\b\d+h ago\b/); // the stack's app time is weeks behind the real clock
      // An emulator that takes the connection and never answers: the read gives up after its short timeout.
      const silent = createServer(() => {});
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      try {
        const port = (silent.address() as { port: number }).port;
        const hung = await start(['ls'], { ...scaledEnv, DSVMPOOL_EMULATOR_URL: `https://127.0.0.1:${port}` }).done;
        expect(hung.code, hung.stderr).toBe(0);
        expect(row(hung)).toMatch(/\b\d+h ago\b/);
      } finally {
        silent.close();
      }
    } finally {
      await scaled.stop();
    }
  });

  it('submits a YAML job file with --wait and exits with the outcome; logs prints the output; wait exits 1 for a failed job', async () => {
    const file = join(dir, 'sweep.yaml');
    writeFileSync(file, ['name: sweep', 'commandLine: python sweep.py', 'array:', '  size: 3', 'env:', '  EMULATOR_TASK_SECONDS: "30"', '  EMULATOR_STDOUT: "hello from the sweep"', ''].join('\n'));
    const run = await cliWhileTicking(['submit', file, '--wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/sweep \(.+\)\s+succeeded\s+tasks 3\/3 done/);
    const id = /\(([0-9a-f]{12}-\d{13}-[0-9a-z]{6})\)/.exec(run.stdout)![1]!;
    expect(run.stderr).toMatch(/dispatched|running/); // state changes, one line each off a terminal
    const logs = await cli('logs', id, '--index', '2');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('(array index 2)');
    expect(logs.stdout).toContain('hello from the sweep\n');

    const bad = await cli('submit', '-n', 'doomed', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=10', '-e', 'EMULATOR_EXIT_CODE=4', '--json');
    const badId = JSON.parse(bad.stdout).id as string;
    const waited = await cliWhileTicking(['wait', badId]);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toContain('the command exited with code 4');
    expect((await cli('logs', badId, '--stream', 'stderr')).stdout).toBe('error: the command exited with code 4\n');
  });

  it('cancels a job; wait then exits 6', async () => {
    const sub = await cli('submit', '-n', 'long', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=3600', '--json');
    const id = JSON.parse(sub.stdout).id as string;
    const cancel = await cli('cancel', id);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`${id} cancel`));
    expect((await cli('wait', id)).code).toBe(6);
  });

  it('prints the problem detail, never a stack trace, with documented exit codes', async () => {
    const missing = await cli('status', '0123456789ab-1234567890123-abcdef');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe('error: no job 0123456789ab-1234567890123-abcdef that you can see (JOB_NOT_FOUND)\n');
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ name: 'typo', commandLine: 'x', resource: { gpus: 1 } }));
    const typo = await cli('submit', file);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown field(s) resource');
    const dep = await cli('submit', '-n', 'dep', '-c', 'x', '--depends-on', '0123456789ab-1234567890123-abcdef');
    expect(dep.code).toBe(2);
    expect(dep.stderr).toContain('error: dependsOn.0: no job 0123456789ab-1234567890123-abcdef of yours (DEPENDENCY_INVALID)');
    expect(dep.stderr).toContain('  dependsOn.0: no job');
    const noEndpoint = await start(['ls'], { DSVMPOOL_URL: '' }).done;
    expect(noEndpoint.code).toBe(2);
    for (const r of [missing, typo, dep, noEndpoint]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('reads and sets a pool policy, shows per-user usage, and refuses a bad policy naming the field', async () => {
    const get = await cli('--admin', 'policy', 'get', 'cpu', '--json');
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout).policy).toMatchObject({ kind: 'batch', poolId: 'cpu' });
    const file = join(dir, 'cpu.yaml');
    writeFileSync(file, 'kind: batch\npoolId: cpu\nmaxNodes: 3\nmaxQueuedJobsPerUser: 5\n');
    expect((await cli('--admin', 'policy', 'set', 'cpu', file)).stdout).toBe('policy of cpu saved\n');
    expect(JSON.parse((await cli('--admin', 'policy', 'get', 'cpu', '--json')).stdout).policy.maxQueuedJobsPerUser).toBe(5);
    writeFileSync(file, 'kind: batch\npoolId: cpu\nmaxNodes: -1\n');
    const bad = await cli('--admin', 'policy', 'set', 'cpu', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('  maxNodes: must be at least 0');
    const usage = await cli('--admin', 'usage', 'cpu', '--json');
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toMatchObject({ pool: 'cpu', users: expect.any(Array) });
  });

  it('shows a progress line under a pseudo-terminal', async () => {
    // util-linux `script` gives the CLI a terminal; its output (stdout and stderr together) is what a person sees.
    const command = [process.execPath, join(projectRoot, 'bin/dsvm-pool.js'), '--interval', '0.1', 'submit', '-n', 'tty-job', '-c', 'x', '-e', 'EMULATOR_TASK_SECONDS=30', '--wait']
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'xterm', COLUMNS: '200' } });
    let seen = '';
    child.stdout.on('data', (c) => (seen += c));
    const done = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 200 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!finished) await s.tick();
    }
    expect(await done).toBe(0);
    // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is under test
    expect(seen).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] tty-job \(.+\)\s+.*(queued|dispatching|dispatched|running)/);
    // eslint-disable-next-line no-control-regex -- colour on a terminal
    expect(seen).toMatch(/\x1b\[32msucceeded\x1b\[0m/); // colour on a terminal
  });
  /** Writes per-VM NAT endpoints into the pool's view row, as the evaluation will once it reads the port mapping. */
  const setEndpoints = async (pool: string, endpoints: Record<string, unknown>) => {
    const table = TableClient.fromConnectionString(s.azurite.connectionString, 'poolbroker', { allowInsecureConnection: true });
    const row = await table.getEntity<{ json: string }>(pool, 'view');
    const view = JSON.parse(row.json) as { instances: { endpoints: unknown }[] };
    for (const vm of view.instances) vm.endpoints = endpoints;
    await table.upsertEntity({ partitionKey: pool, rowKey: 'view', json: JSON.stringify(view) }, 'Replace');
  };

  it('connect and ssh go through the broker: the URL of the seat, ssh --print shows the exact command, ssh runs ssh to the NAT port, no address exits 9', async () => {
    const b = brokerFixture(s, 'lab', 1);
    // The load balancer's port mapping cannot be read at first: the pool view knows no per-VM port.
    const nat = s.emulator.faults.add({ operation: 'network.loadBalancer.queryInboundNatRulePortMapping', kind: 'status', status: 500, code: 'InternalServerError', message: 'the port mapping is not available' });
    try {
      expect((await b.putPolicy({ seatsPerInstance: 4, maxInstances: 3, spareSeats: 0 })).status).toBe(200);
      await b.minutes(4, { tick: false });
      await b.minute(); // the VM runs and the evaluation writes the pool view the broker reads
      // No per-VM port and no connectUrl: nowhere to send the user.
      const nowhere = await cli('connect', 'lab');
      expect(nowhere.code).toBe(9);
      expect(nowhere.stderr).toContain("a seat is held for you on VM 0 of lab, but the app knows no address to send you to: no per-VM port is known and the pool's policy has no connectUrl");
      const noAddress = await cli('ssh', 'lab', '--print');
      expect(noAddress.code).toBe(9);
      expect(noAddress.stdout).toBe('');
      expect(noAddress.stderr).toBe('a seat is held for you on VM 0 of lab, but the app does not know its ssh address (per-VM ports are not known yet), so there is no host and port to ssh to\n');
    } finally {
      s.emulator.faults.remove(nat);
    }

    // The next evaluation reads the load balancer's per-VM NAT ports: connect gives the VM's own hub, ssh its port.
    await b.minute();
    const vmUrl = await cli('connect', 'lab', '--json');
    expect(vmUrl.code, vmUrl.stderr).toBe(0);
    const seat = JSON.parse(vmUrl.stdout) as { url: string; vmAddress: boolean };
    expect(seat).toMatchObject({ instanceId: '0', vmAddress: true });
    expect(seat.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const mapped = await cli('ssh', 'lab', '--print', '-l', 'ann2', '--', '-o', 'BatchMode=yes', 'echo', "it's me");
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.stdout).toMatch(/^ssh -p \d+ ann2@127\.0\.0\.1 -o BatchMode=yes echo 'it'\\''s me'\n$/);
    expect(mapped.stdout).not.toContain(`-p ${new URL(seat.url).port} `); // ssh and jupyter have their own NAT ports

    // Both shapes an endpoint may take ({host, port} and {address, port}), and a port nothing listens on.
    const sshPort = await closedPort();
    await setEndpoints('lab', { ssh: { host: '127.0.0.1', port: sshPort }, jupyter: { address: '127.0.0.1', port: 51000 } });
    expect((await cli('connect', 'lab')).stdout).toBe('https://127.0.0.1:51000/\n');
    // Without --print it runs the real OpenSSH client, which finds the port closed: its own exit code (255) comes back.
    const ran = await cli('ssh', 'lab', '--', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'StrictHostKeyChecking=no', 'true');
    // Without -l the login is the account ann@example.com has on every pool VM ("ann"), as the app says.
    expect(ran.stderr).toContain(`VM 0: ssh -p ${sshPort} ann@127.0.0.1 -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=no true\n`);
    expect(ran.stderr).toMatch(new RegExp(`port ${sshPort}: Connection refused`));
    expect(ran.code).toBe(255);

    // With a connectUrl the pool's URL comes first, as GET /connect does (the hub's sign-in returns only there).
    expect((await b.putPolicy({ seatsPerInstance: 4, maxInstances: 3, spareSeats: 0, connectUrl: 'https://hub.example.com/lab/' })).status).toBe(200);
    await b.minute(); // the evaluation writes the policy's connectUrl into the pool view
    const connect = await cli('connect', 'lab');
    expect(connect.code, connect.stderr).toBe(0);
    expect(connect.stdout).toBe('https://hub.example.com/lab/\n');
    expect(connect.stderr).toBe("VM 0 is yours; the pool's connect URL signs you in\n");
    const json = await cli('connect', 'lab', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ pool: 'lab', instanceId: '0', url: 'https://hub.example.com/lab/', vmAddress: false });
  });

  it('connect waits in the queue showing position and estimate, one line per change, then prints the URL once the VM runs', async () => {
    const b = brokerFixture(s, 'cold', 0);
    expect((await b.putPolicy({ seatsPerInstance: 2, maxInstances: 2, spareSeats: 0, connectUrl: 'https://hub.example.com/cold/' })).status).toBe(200);
    // The region's core quota refuses the new VM at first (not retried: a 409), so the broker can only queue.
    const quota = s.emulator.faults.add({ operation: 'compute.vmss.update', kind: 'status', status: 409, code: 'OperationNotAllowed', message: 'Operation could not be completed as it results in exceeding approved Total Regional Cores quota.' });
    const run = start(['connect', 'cold']);
    let stderr = '';
    try {
      for (let i = 0; i < 200 && !/position 1/.test((stderr = run.stderr())) && !run.exited(); i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      s.emulator.faults.remove(quota);
    }
    // Adding the VM failed: the line says so and promises no time (not "a VM is being added for you").
    expect(stderr).toMatch(/^cold: waiting for a seat, position 1, no estimate — every seat is taken, and adding a VM has failed \(ARM_CONFLICT\)/m);
    let finished = false;
    void run.done.then(() => (finished = true));
    for (let i = 0; i < 40 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!finished) await b.minute();
    }
    const done = await run.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe('https://hub.example.com/cold/\n');
    expect(done.stderr).toMatch(/^cold: a seat is held for you on VM 0, which is starting, ready in about \d+ (s|min)$/m);
    // Off a terminal: one line per change, not one per poll.
    const lines = done.stderr.split('\n').filter((l) => l.startsWith('cold: waiting'));
    expect(lines.length).toBeLessThanOrEqual(3);
  });

  it('connect shows its wait as a progress line under a pseudo-terminal and gives up after --timeout with exit 7', async () => {
    const b = brokerFixture(s, 'full', 1);
    expect((await b.putPolicy({ seatsPerInstance: 1, maxInstances: 1, spareSeats: 0 })).status).toBe(200);
    await b.minutes(4, { tick: false });
    await b.minute();
    expect((await b.ask('bob@example.com')).outcome).toBe('placed'); // the one seat
    const command = [process.execPath, join(projectRoot, 'bin/dsvm-pool.js'), '--interval', '0.2', 'connect', 'full', '--timeout', '1'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'xterm', COLUMNS: '200' } });
    let seen = '';
    child.stdout.on('data', (c) => (seen += c));
    expect(await new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)))).toBe(7);
    // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is under test
    expect(seen).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+s {2}full: waiting for a seat, position 1, no estimate — every seat is taken and the pool is at its maximum/);
    expect(seen).toContain('no seat on full after 1s; stopped waiting');
  });

  it('connect and ssh to a pool that does not exist: exit 4 and the problem detail, no stack trace', async () => {
    for (const command of ['connect', 'ssh']) {
      const r = await cli(command, 'no-such-pool');
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: .*no-such-pool.* \(POOL_NOT_FOUND\)\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('pools shows the VM pools with why; events pages with --page-token', async () => {
    const b = brokerFixture(s, 'paged', 0);
    expect((await b.putPolicy({ seatsPerInstance: 1, maxInstances: 3, spareSeats: 0 })).status).toBe(200);
    // Two scale-outs, two events: the second person is seated by the evaluation after the first scale-out ended
    // (a scale set takes one operation at a time).
    expect((await b.ask('bob@example.com')).outcome).toBe('placed');
    let cleo = await b.ask('cleo@example.com');
    for (let m = 0; m < 10 && cleo.outcome !== 'placed'; m++) {
      await b.minute();
      cleo = await b.ask('cleo@example.com');
    }
    expect(cleo.outcome).toBe('placed');
    const pools = await cli('pools');
    expect(pools.code, pools.stderr).toBe(0);
    expect(pools.stdout.split('\n')[0]).toMatch(/^POOL\s+VMS\s+SESSIONS\s+NOW\s+WHY$/);
    expect(pools.stdout).toMatch(/^paged\s+2\s+0\s+\S+\s+\S/m);
    // Azure unavailable: the row says error and why, never a blank.
    const down = s.emulator.faults.add({ operation: 'compute.vmssvm.list', kind: 'status', status: 503, code: 'ServiceUnavailable', message: 'try later', count: 1000 });
    try {
      const broken = await cli('pools');
      expect(broken.stdout).toMatch(/^paged\s+\S+\s+\S+\s+error\s+ARM_UNAVAILABLE: /m);
    } finally {
      s.emulator.faults.remove(down);
    }
    const first = await cli('events', 'paged', '--top', '1');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(2); // header + one event
    const token = /^more: dsvm-pool events paged --top 1 --page-token (\S+)$/m.exec(first.stderr)?.[1];
    expect(token, first.stderr).toBeDefined();
    const second = await cli('events', 'paged', '--top', '1', '--page-token', token!);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.split('\n')[1]).not.toBe(first.stdout.split('\n')[1]);
    expect((await cli('events', 'paged', '--page-token', 'bogus')).code).toBe(2);
  });

  it('simulate runs the what-if simulator locally: --help lists its options, a run on a checked-in trace prints the report', async () => {
    const noApp = { DSVMPOOL_URL: '', DSVMPOOL_EMULATOR_URL: '' }; // it needs no endpoint and no token
    const help = await start(['simulate', '--help'], noApp).done;
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('dsvm-pool simulate --trace FILE [--policy FILE] [--baselines');
    expect(help.stdout).toContain('dsvm-pool simulate sweep');
    const out = join(dir, 'sim');
    const run = await start(['simulate', '--trace', join(projectRoot, 'traces/team-8-one-zone.csv'), '--baselines', 'always-on', '--seed', '1', '--out', out], noApp).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('# Simulation: team-8-one-zone.csv');
    expect(run.stdout).toMatch(/^\| dsvm-pool \| [\d.]+ \|/m);
    expect(run.stdout).toMatch(/^\| always-on \| [\d.]+ \|/m);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    const bad = await start(['simulate', '--trace', join(dir, 'missing.csv')], noApp).done;
    expect(bad.code).toBe(2);
  });

});

/** A TCP port nothing listens on (taken from the OS, then released): ssh to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
