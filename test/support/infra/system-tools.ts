// The reporter's integration tests use real system programs; a missing one fails the test with the apt line
// that installs it (the same list .ci/run installs), instead of skipping silently.
import { accessSync, constants } from 'node:fs';

export const REPORTER_APT_PACKAGES = ['python3', 'jupyterhub', 'openssh-server', 'openssh-client'] as const;

const providers: Record<string, string> = {
  python3: 'python3',
  jupyterhub: 'jupyterhub',
  'jupyterhub-singleuser': 'jupyterhub',
  'configurable-http-proxy': 'jupyterhub (it depends on node-configurable-http-proxy)',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
};

const searchPath = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of a program, or an Error saying which Debian package to install. */
export function requireProgram(name: keyof typeof providers & string): string {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...searchPath];
  for (const dir of dirs) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `"${name}" is not installed; it comes from the Debian package ${providers[name]}. Install what these tests need with:\n` +
      `  apt-get update && apt-get install -y --no-install-recommends ${REPORTER_APT_PACKAGES.join(' ')}`,
  );
}
