// A normal (non-root) local account for SSH logins that pam_nologin may refuse (it never refuses root).
// Made for the test and removed after it; an account of that name made by someone else is used and left alone.
import { spawnSync } from 'node:child_process';

export interface TestUser {
  name: string;
  remove(): void;
}

export function createTestUser(name: string): TestUser {
  if (spawnSync('id', ['-u', name]).status === 0) return { name, remove: () => undefined };
  if (process.getuid?.() !== 0) throw new Error(`creating the test account "${name}" needs root (useradd); run the infra tests as root, as CI does`);
  // '*' as password: no password login, but not a locked account ('!'), which sshd would refuse without PAM.
  const made = spawnSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', '-p', '*', name], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`useradd ${name} failed: ${made.stderr}`);
  return {
    name,
    remove: () => {
      spawnSync('userdel', [name]);
    },
  };
}
