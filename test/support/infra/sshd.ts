// A real OpenSSH server on a free loopback port with throw-away host and user keys, and real logins to it.
// Each session reports the pid of its server-side session process, so a test can wait until sshd has really
// let go of a closed session before it counts again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { requireProgram } from './system-tools.js';

export interface SshSession {
  serverPid: number; // the "sshd: user@pts/N|notty" process
  close(): Promise<void>;
}

export interface TestSshd {
  port: number;
  pidFile: string;
  user: string;
  /**
   * Logs in and keeps the session open until close(); the remote `cat` ends when the connection does. `command`
   * runs in the session first (login() returns after it) (e.g. to start background processes that live as long as the session).
   */
  login(options?: { terminal?: boolean; command?: string }): Promise<SshSession>;
  /** Runs one command over SSH and returns its stdout (the session ends with the command). */
  run(command: string): Promise<{ status: number | null; stdout: string; stderr: string }>;
  /** sshd's own log (-e), e.g. why it refused a login. */
  log(): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /**
   * UsePAM yes: logins go through the system's PAM stack for sshd (/etc/pam.d/sshd), whose pam_nologin refuses
   * non-root logins while /run/nologin exists, as on the VMs. Default: no PAM (nothing system-wide involved).
   */
  pam?: boolean;
  /** Who logs in; default the user running the tests. Another user must be able to read the key files. */
  user?: string;
  /** The host's private key (copied in), e.g. the pool's shared key; default a fresh one per sshd. */
  hostKeyFile?: string;
  /** More accounts that may log in: user name → public key line (AuthorizedKeysFile …/%u). */
  authorizedKeys?: Record<string, string>;
}

const processGone = async (pid: number, ms: number) => {
  const until = Date.now() + ms;
  while (existsSync(`/proc/${pid}`)) {
    if (Date.now() > until) throw new Error(`sshd session process ${pid} still there after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const sshd = requireProgram('sshd');
  const ssh = requireProgram('ssh');
  const keygen = requireProgram('ssh-keygen');
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-sshd-'));
  for (const key of options.hostKeyFile ? ['user_key'] : ['host_key', 'user_key']) {
    const made = spawnSync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, key)], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
  }
  if (options.hostKeyFile) writeFileSync(join(dir, 'host_key'), readFileSync(options.hostKeyFile), { mode: 0o600 });
  const user = options.user ?? userInfo().username;
  const foreignUser = user !== userInfo().username;
  // sshd reads authorized_keys as the user who logs in.
  const keysDir = join(dir, 'authorized_keys.d');
  mkdirSync(keysDir, { mode: 0o755 });
  const keys: Record<string, string> = { ...options.authorizedKeys, [user]: readFileSync(join(dir, 'user_key.pub'), 'utf8') };
  const others = Object.keys(keys).some((u) => u !== userInfo().username);
  for (const [name, key] of Object.entries(keys)) writeFileSync(join(keysDir, name), key, { mode: others ? 0o644 : 0o600 });
  if (foreignUser || others) chmodSync(dir, 0o755);
  const port = await freePort();
  const pidFile = join(dir, 'sshd.pid');
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${pidFile}`,
      `AuthorizedKeysFile ${join(keysDir, '%u')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no', // the keys live under /tmp, which is world-writable
      `UsePAM ${options.pam ? 'yes' : 'no'}`,
      'PrintMotd no',
      'PrintLastLog no',
    ].join('\n') + '\n',
  );
  // OpenSSH's privilege separation directory; the Debian service creates it, a bare sshd does not.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let log = '';
  const server: ChildProcess = spawn(sshd, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-10_000)));
  const until = Date.now() + 10_000;
  while (!existsSync(pidFile)) {
    if (server.exitCode !== null || Date.now() > until) throw new Error(`sshd did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  const clientArgs = (terminal: boolean) => [
    ...(terminal ? ['-tt'] : ['-T']),
    '-i', join(dir, 'user_key'), '-p', String(port),
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', `${user}@127.0.0.1`,
  ];
  const clients = new Set<ChildProcess>();

  return {
    port,
    pidFile,
    user,
    async login({ terminal = false, command }: { terminal?: boolean; command?: string } = {}) {
      // The remote shell's parent is sshd's session process; report it, then keep the session open.
      const client = spawn(ssh, [...clientArgs(terminal), `${command ? `${command}; ` : ''}echo "session-pid=$PPID"; exec cat`], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      clients.add(client);
      let out = '';
      const serverPid = await new Promise<number>((resolvePid, reject) => {
        const timer = setTimeout(() => reject(new Error(`ssh login timed out: ${out}\n${log}`)), 20_000);
        const onData = (c: Buffer) => {
          out += c.toString();
          const found = /session-pid=(\d+)/.exec(out);
          if (found) {
            clearTimeout(timer);
            resolvePid(Number(found[1]));
          }
        };
        client.stdout?.on('data', onData);
        client.stderr?.on('data', onData);
        client.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`ssh exited (${code}) before the session was up: ${out}\n${log}`));
        });
      });
      return {
        serverPid,
        async close() {
          client.kill('SIGTERM');
          clients.delete(client);
          await processGone(serverPid, 10_000);
        },
      };
    },
    run(command) {
      return new Promise((done) => {
        const client = spawn(ssh, [...clientArgs(false), command], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        client.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        client.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        client.once('exit', (status) => done({ status, stdout, stderr }));
      });
    },
    log: () => log,
    async stop() {
      for (const client of clients) client.kill('SIGKILL');
      clients.clear();
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
