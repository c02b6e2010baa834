// A real JupyterHub (the Debian package) for the reporter's tests: dummy authenticator, single-user servers
// as local processes, the hub and its proxy on free ports, state in a temp dir. It loads the very
// infra/vm/jupyterhub_reporter_config.py that cloud-init adds on the VMs, so the reporter's scopes are tested,
// and so is its cleanup_servers = False: stopping this hub leaves its single-user servers running, as on a VM.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';
import { requireProgram } from './system-tools.js';

const reporterHubConfig = resolve(import.meta.dirname, '../../../infra/vm/jupyterhub_reporter_config.py');

export interface TestJupyterHub {
  apiUrl: string; // e.g. http://127.0.0.1:PORT/hub/api
  reporterTokenFile: string;
  startServer(user: string): Promise<void>;
  stopServer(user: string): Promise<void>;
  /** The hub process (its own process group). */
  pid: number;
  /**
   * A command line that stops this hub and returns once it has exited, as `systemctl stop jupyterhub` does on a
   * VM: the reporter's DSVMPOOL_HUB_STOP_COMMAND in tests.
   */
  stopCommand: string;
  /** Pids of the single-user server processes this hub started that are alive now (found from /proc). */
  serverPids(): number[];
  /** Stops the hub and its proxy; single-user servers keep running (cleanup_servers = False); files stay. */
  stop(): Promise<void>;
  /** stop(), kills the single-user servers left running, then removes the hub's temp dir. */
  dispose(): Promise<void>;
  log(): string;
}

export async function startJupyterHub(): Promise<TestJupyterHub> {
  const hubBin = requireProgram('jupyterhub');
  requireProgram('jupyterhub-singleuser');
  requireProgram('configurable-http-proxy');
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-hub-'));
  const [proxyPort, proxyApiPort, hubPort] = [await freePort(), await freePort(), await freePort()];
  const adminToken = randomBytes(24).toString('hex');
  const reporterTokenFile = join(dir, 'hub-token');
  writeFileSync(reporterTokenFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const runningAsRoot = process.getuid?.() === 0;
  writeFileSync(
    join(dir, 'jupyterhub_config.py'),
    [
      `c.JupyterHub.ip = '127.0.0.1'`,
      `c.JupyterHub.port = ${proxyPort}`,
      `c.JupyterHub.hub_ip = '127.0.0.1'`,
      `c.JupyterHub.hub_port = ${hubPort}`,
      `c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${proxyApiPort}'`,
      `c.ConfigurableHTTPProxy.pid_file = ${JSON.stringify(join(dir, 'proxy.pid'))}`,
      `c.JupyterHub.db_url = ${JSON.stringify('sqlite:///' + join(dir, 'jupyterhub.sqlite'))}`,
      `c.JupyterHub.cookie_secret_file = ${JSON.stringify(join(dir, 'cookie_secret'))}`,
      `c.JupyterHub.authenticator_class = 'jupyterhub.auth.DummyAuthenticator'`,
      `c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'`,
      `c.SimpleLocalProcessSpawner.home_dir_template = ${JSON.stringify(join(dir, 'home', '{username}'))}`,
      runningAsRoot ? `c.Spawner.args = ['--allow-root']` : '',
      `c.JupyterHub.services.append({'name': 'test-admin', 'api_token': '${adminToken}'})`,
      `c.JupyterHub.load_roles.append({'name': 'test-admin', 'scopes': ['admin:users', 'admin:servers', 'list:users'], 'services': ['test-admin']})`,
      `load_subconfig(${JSON.stringify(reporterHubConfig)})`,
    ].join('\n'),
  );

  let output = '';
  const hub: ChildProcess = spawn(hubBin, ['-f', join(dir, 'jupyterhub_config.py')], {
    cwd: dir,
    // Debian's configurable-http-proxy finds its modules through NODE_PATH when node is not Debian's own build.
    env: { ...process.env, NODE_PATH: '/usr/share/nodejs', DSVMPOOL_HUB_TOKEN_FILE: reporterTokenFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  hub.stdout?.on('data', keep);
  hub.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => hub.once('exit', () => done()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const apiUrl = `http://127.0.0.1:${hubPort}/hub/api`;
  const api = async (method: string, path: string): Promise<Response> =>
    fetch(`${apiUrl}${path}`, { method, headers: { Authorization: `token ${adminToken}` } });

  const stop = async () => {
    if (!hasExited && hub.pid) {
      process.kill(hub.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    if (!hasExited && hub.pid) process.kill(-hub.pid, 'SIGKILL');
    try {
      // JupyterHub starts the proxy in its own session; if the hub was killed the proxy may be left.
      process.kill(Number(readFileSync(join(dir, 'proxy.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // already gone with the hub
    }
  };
  const apiUrlOfServers = `JUPYTERHUB_API_URL=http://127.0.0.1:${hubPort}/hub/api`;
  const serverPids = (): number[] =>
    readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(apiUrlOfServers);
        } catch {
          return false; // gone, or not ours to read
        }
      })
      .map(Number);
  const dispose = async () => {
    await stop();
    for (const pid of serverPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited) {
      await dispose();
      throw new Error(`JupyterHub exited during start-up:\n${output}`);
    }
    try {
      if ((await fetch(`${apiUrl}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await dispose();
      throw new Error(`JupyterHub did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const serverOf = async (user: string): Promise<{ ready?: boolean; pending?: string | null } | undefined> => {
    const res = await api('GET', `/users/${user}`);
    if (!res.ok) throw new Error(`GET user ${user}: ${res.status} ${await res.text()}`);
    const model = (await res.json()) as { servers?: Record<string, { ready?: boolean; pending?: string | null }> };
    return model.servers?.[''];
  };
  const waitFor = async (user: string, done: (s: Awaited<ReturnType<typeof serverOf>>) => boolean, what: string) => {
    const until = Date.now() + 60_000;
    while (!done(await serverOf(user))) {
      if (Date.now() > until) throw new Error(`${user}'s server did not ${what} within 60 s:\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const pid = hub.pid!;
  // Waits past the zombie state too: the test process reaps the hub only when its event loop gets to it.
  const stopCommand =
    `sh -c 'kill -TERM ${pid} 2>/dev/null; while [ -e /proc/${pid} ] && ! grep -q "^State:[[:space:]]*Z" /proc/${pid}/status; ` +
    `do sleep 0.1; done'`;

  return {
    apiUrl,
    reporterTokenFile,
    pid,
    stopCommand,
    serverPids,
    log: () => output,
    stop,
    dispose,
    async startServer(user) {
      const created = await api('POST', `/users/${user}`);
      if (!created.ok && created.status !== 409) throw new Error(`create user ${user}: ${created.status}`);
      const started = await api('POST', `/users/${user}/server`);
      if (![201, 202].includes(started.status)) throw new Error(`start ${user}: ${started.status} ${await started.text()}`);
      await waitFor(user, (s) => s?.ready === true, 'become ready');
    },
    async stopServer(user) {
      const stopped = await api('DELETE', `/users/${user}/server`);
      if (![202, 204].includes(stopped.status)) throw new Error(`stop ${user}: ${stopped.status} ${await stopped.text()}`);
      await waitFor(user, (s) => s === undefined, 'stop');
    },
  };
}
