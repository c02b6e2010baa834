// The test-time check for the real system programs: one message naming every missing program and the one apt-get line
// (from .ci/system-packages, the list .ci/run installs). Where the tests run nothing may be missing; searched in an
// empty directory, the message names them all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingSystemPrograms, requireProgram, systemPackages } from '../../support/infra/system-tools.js';

describe('system programs the tests drive', () => {
  it('are all installed here (else: the one apt-get line that installs them)', () => {
    expect(missingSystemPrograms().message).toBe('');
  });

  it('reads the same list .ci/run installs, with chromium, jupyterhub and sshd in it', () => {
    const list = Object.fromEntries(systemPackages());
    expect(list.chromium).toEqual(['chromium']);
    expect(list.jupyterhub).toContain('configurable-http-proxy');
    expect(list['openssh-server']).toEqual(['sshd']);
  });

  it('names every missing program and their packages in one apt-get line', () => {
    const empty = mkdtempSync(join(tmpdir(), 'dsvm-no-programs-'));
    try {
      const { missing, message } = missingSystemPrograms([empty]);
      expect(missing.map((m) => m.program)).toEqual(['python3', 'jupyterhub', 'jupyterhub-singleuser', 'configurable-http-proxy', 'sshd', 'ssh', 'ssh-keygen', 'chromium', 'curl', 'jq']);
      expect(message).toContain('chromium (chromium)');
      expect(message).toContain('sshd (openssh-server)');
      expect(message).toContain('  apt-get update && apt-get install -y --no-install-recommends python3 jupyterhub openssh-server openssh-client chromium curl jq\n');
      expect(message.match(/apt-get install/g)).toHaveLength(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(() => requireProgram('not-a-listed-program')).toThrow(/not in \.ci\/system-packages/);
  });
});
