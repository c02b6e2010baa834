// The app shows `ssh -p PORT name@HOST` with the name the VMs give the person: checked against the VMs' own rule
// (infra/vm/jupyterhub_entra_config.py local_name, run with the real python3), not a copy of it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vmUserName } from '../../../src/broker/vm-user-name.js';

const vmDir = resolve(import.meta.dirname, '../../../infra/vm');
const cases = [
  'alice.smith@contoso.com', 'Bob@example.com', 'x.y+z@example.com', '-dash-@example.com', '9lives@example.com', 'a'.repeat(40) + '@example.com', 'renée@example.com', 'svc_account@example.com',
  '--two.dashes..@example.com', 'a'.repeat(32) + '@example.com', 'a'.repeat(33) + '@example.com', 'a'.repeat(31) + '.bc@example.com', '_svc@example.com', 'MiXeD.Case@example.com', 'no-at-sign', '@example.com', 'a@b@example.com', '-@example.com',
];

function pythonNames(upns: string[]): string[] {
  // Only the helpers before the oauthenticator import (which is not installable offline) are run.
  const program = `import sys, json
src = open(${JSON.stringify(join(vmDir, 'jupyterhub_entra_config.py'))}).read()
ns = {}
exec(compile(src.split("from oauthenticator")[0], "jupyterhub_entra_config.py", "exec"), ns)
print(json.dumps([ns["local_name"](u) for u in json.loads(sys.argv[1])]))`;
  const run = spawnSync('python3', ['-c', program, JSON.stringify(upns)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe('vmUserName', () => {
  it('gives the name the VMs give (jupyterhub_entra_config.py local_name)', () => {
    expect(cases.map(vmUserName)).toEqual(pythonNames(cases));
  });

  it.each([
    ['alice.smith@contoso.com', 'alice-smith'],
    ['9lives@example.com', ''],
    ['--two.dashes..@example.com', 'two-dashes'],
    [`${'a'.repeat(32)}@example.com`, 'a'.repeat(32)],
    [`${'a'.repeat(33)}@example.com`, 'a'.repeat(32)],
    [`${'a'.repeat(31)}.bc@example.com`, `${'a'.repeat(31)}-`],
    ['_svc@example.com', '_svc'],
    ['a@b@example.com', 'a'],
    ['@example.com', ''],
    ['-@example.com', ''],
  ])('%s → "%s"', (upn, name) => expect(vmUserName(upn)).toBe(name));
});
