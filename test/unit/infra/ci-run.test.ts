// .ci/run on a machine without Node, npm, JupyterHub, sshd or Chromium: its install step (--install-only) runs in a
// scratch PATH that holds only a shell and a few coreutils, against a fake apt-get that "installs" a package by
// creating its programs the way Debian 12's packages do (jupyterhub pulls nodejs but not npm). The machine's own
// programs are never touched.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const TOOLS = ['bash', 'dirname', 'date', 'grep', 'awk', 'tr', 'cat', 'chmod', 'mkdir', 'sleep'];
/** What each Debian 12 package puts on the machine, as [dir, program]; `nodejs` comes with jupyterhub. */
const PROVIDES: Record<string, [string, string][]> = {
  python3: [['bin', 'python3']],
  jupyterhub: [['bin', 'jupyterhub'], ['bin', 'jupyterhub-singleuser'], ['bin', 'configurable-http-proxy'], ['bin', 'node']],
  'openssh-server': [['sbin', 'sshd']],
  'openssh-client': [['bin', 'ssh'], ['bin', 'ssh-keygen']],
  chromium: [['bin', 'chromium']],
  curl: [['bin', 'curl']],
  jq: [['bin', 'jq']],
  nodejs: [['bin', 'node']],
  npm: [['bin', 'npm']],
};
const dirs: string[] = [];

interface Machine {
  dir: string;
  /** Puts a package's programs in place, as if it were installed already. */
  install(pkg: string): void;
  run(opts?: { uid?: number; sudo?: boolean }): { status: number | null; out: string; calls: string[] };
}

function scratchMachine(): Machine {
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-ci-run-'));
  dirs.push(dir);
  for (const sub of ['bin', 'sbin']) mkdirSync(join(dir, sub));
  const bash = realpathSync('/bin/bash');
  for (const tool of TOOLS) {
    const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (!found) throw new Error(`the test needs ${tool}`);
    symlinkSync(realpathSync(found), join(dir, 'bin', tool));
  }
  const program = (path: string, body: string) => {
    writeFileSync(path, `#!${bash}\n${body}\n`);
    chmodSync(path, 0o755);
  };
  const install = (pkg: string) => {
    for (const [sub, name] of PROVIDES[pkg] ?? []) {
      const version = name === 'node' ? 'echo v18.19.0' : name === 'npm' ? 'echo 9.2.0' : 'true';
      program(join(dir, sub, name), version);
    }
  };
  // The fake apt-get: records each call; `install` creates the packages' programs (PROVIDES as "package dir program" lines).
  writeFileSync(join(dir, 'provides'), Object.entries(PROVIDES).flatMap(([pkg, list]) => list.map(([sub, name]) => `${pkg} ${sub} ${name}\n`)).join(''));
  program(
    join(dir, 'apt-get'),
    [
      `echo "apt-get $*" >> ${dir}/calls`,
      '[[ "$1" == install ]] || exit 0',
      'for pkg in "$@"; do',
      `  while read -r p sub name; do`,
      '    [[ "$p" == "$pkg" ]] || continue',
      '    case "$name" in node) body="echo v18.19.0";; npm) body="echo 9.2.0";; *) body=true;; esac',
      `    printf '#!${bash}\\n%s\\n' "$body" > ${dir}/$sub/$name; chmod 755 ${dir}/$sub/$name`,
      `  done < ${dir}/provides`,
      'done',
    ].join('\n'),
  );
  return {
    dir,
    install,
    run({ uid = 0, sudo = false } = {}) {
      program(join(dir, 'bin', 'id'), `echo ${uid}`);
      if (sudo) program(join(dir, 'bin', 'sudo'), `echo "sudo $1" >> ${dir}/calls; "$@"`);
      const r = spawnSync(bash, [join(root, '.ci/run'), '--install-only'], {
        env: { PATH: join(dir, 'bin'), HOME: dir, DSVMPOOL_CI_APT_GET: join(dir, 'apt-get'), DSVMPOOL_CI_SBIN_DIRS: join(dir, 'sbin') },
        encoding: 'utf8',
      });
      const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];
      return { status: r.status, out: r.stdout + r.stderr, calls };
    },
  };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const INSTALL = '--no-install-recommends';

describe('.ci/run on a clean machine', () => {
  it('installs every system package and Node.js with npm, in one apt-get call, and says what and why', () => {
    const m = scratchMachine();
    const r = m.run();
    expect(r.status, r.out).toBe(0);
    expect(r.calls).toEqual([
      `apt-get update -qq`,
      `apt-get install -y -qq ${INSTALL} python3 jupyterhub openssh-server openssh-client chromium curl jq nodejs npm`,
    ]);
    expect(r.out).toContain('installing with ');
    expect(r.out).toContain('jupyterhub (for jupyterhub)');
    expect(r.out).toContain('npm (for npm ci)');
    expect(r.out).toContain('node v18.19.0, npm 9.2.0');
    for (const p of ['bin/node', 'bin/npm', 'bin/jupyterhub', 'sbin/sshd', 'bin/chromium']) expect(existsSync(join(m.dir, p)), p).toBe(true);
  });

  it('installs npm alone when jupyterhub brought Debian nodejs without it', () => {
    const m = scratchMachine();
    for (const pkg of ['python3', 'jupyterhub', 'openssh-server', 'openssh-client', 'chromium', 'curl', 'jq']) m.install(pkg);
    const r = m.run();
    expect(r.status, r.out).toBe(0);
    expect(r.calls.at(-1)).toBe(`apt-get install -y -qq ${INSTALL} npm`);
  });

  it('uses sudo when it is not root and sudo is there', () => {
    const m = scratchMachine();
    m.install('python3');
    const r = m.run({ uid: 1000, sudo: true });
    expect(r.status, r.out).toBe(0);
    expect(r.calls).toContain(`sudo ${join(m.dir, 'apt-get')}`);
    expect(r.calls.at(-1)).toBe(`apt-get install -y -qq ${INSTALL} jupyterhub openssh-server openssh-client chromium curl jq nodejs npm`);
  });

  it('stops with the apt-get line when it is neither root nor has sudo', () => {
    const m = scratchMachine();
    const r = m.run({ uid: 1000 });
    expect(r.status).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.out).toContain('Run .ci/run as root, or install sudo, or install them first: apt-get install -y --no-install-recommends python3 jupyterhub openssh-server openssh-client chromium curl jq nodejs npm');
  });

  it('installs nothing when everything is there', () => {
    const m = scratchMachine();
    for (const pkg of Object.keys(PROVIDES)) m.install(pkg);
    const r = m.run();
    expect(r.status, r.out).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.out).toContain('all present: python3 jupyterhub openssh-server openssh-client chromium curl jq nodejs npm');
  });
});
