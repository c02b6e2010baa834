// The VM side of the session-metric contract matches the autoscaler's constants (src/autoscale/session-metric.ts),
// and what cloud-init installs on each VM is exactly the reporter and units in infra/vm.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSION_METRIC } from '../../../src/autoscale/session-metric.js';
import { infraDir, readBicep, variable } from '../../support/infra/bicep-text.js';

const vm = (file: string) => readFileSync(join(infraDir, 'vm', file), 'utf8');
const reporter = vm('session_reporter.py');
const pythonConstant = (name: string) => new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(reporter)?.[1];

describe('session reporter and the metric contract', () => {
  it('posts the namespace and metric autoscale reads', () => {
    expect(pythonConstant('METRIC_NAMESPACE')).toBe(SESSION_METRIC.namespace);
    expect(pythonConstant('METRIC_NAME')).toBe(SESSION_METRIC.name);
  });

  it('uses the InstanceId and Kind dimensions, in that order', () => {
    expect(pythonConstant('DIMENSION_INSTANCE')).toBe(SESSION_METRIC.instanceDimension);
    expect(pythonConstant('DIMENSION_KIND')).toBe(SESSION_METRIC.kindDimension);
    expect(reporter).toMatch(/"dimNames":\s*\[DIMENSION_INSTANCE,\s*DIMENSION_KIND\]/);
    expect(reporter).toMatch(/"dimValues":\s*\[instance_id,\s*kind\]/);
  });

  it('reports exactly the session kinds autoscale knows', () => {
    const kinds = [...reporter.matchAll(/^KIND_\w+\s*=\s*"([^"]*)"/gm)].map((m) => m[1]);
    expect(kinds.sort()).toEqual([...SESSION_METRIC.kinds].sort());
  });

  it('runs every intervalSeconds from its systemd timer', () => {
    const timer = vm('dsvm-session-reporter.timer');
    expect(/^OnUnitActiveSec=(\d+)$/m.exec(timer)?.[1]).toBe(String(SESSION_METRIC.intervalSeconds));
    expect(timer).toMatch(/^WantedBy=timers\.target$/m);
  });

  it('asks IMDS for a token for Azure Monitor and posts to the regional ingestion endpoint', () => {
    expect(pythonConstant('MONITOR_RESOURCE')).toBe('https://monitoring.azure.com/');
    expect(reporter).toContain('https://{region}.monitoring.azure.com');
    expect(reporter).toMatch(/f"\{endpoint\}\{vmss_id\}\/metrics"/);
  });

  it('uses the Python standard library only (DSVMs ship python3, nothing else is certain)', () => {
    const stdlib = new Set(['argparse', 'datetime', 'http.server', 'json', 'os', 're', 'shlex', 'ssl', 'subprocess', 'sys', 'time',
      'urllib.error', 'urllib.parse', 'urllib.request']);
    const imports = [...reporter.matchAll(/^(?:import|from)\s+([\w.]+)/gm)].map((m) => m[1]!);
    expect(imports.filter((i) => !stdlib.has(i))).toEqual([]);
  });
});

describe('cloud-init installs the reporter', () => {
  const pool = readBicep('app/pool.bicep');
  const cloudInit = vm('cloud-init.yaml');
  const replacements = variable(pool, 'cloudInit') ?? '';

  it('fills every {{TOKEN}} of the cloud-init template, and no token it does not have', () => {
    const inTemplate = new Set(cloudInit.match(/\{\{[A-Z_]+\}\}/g));
    const filled = new Set(replacements.match(/\{\{[A-Z_]+\}\}/g));
    expect([...inTemplate].sort()).toEqual([...filled].sort());
  });

  it('ships each infra/vm file it loads (compressed, from cloud-init-files.json), and they exist', () => {
    expect(pool).toMatch(/^var vmFiles = loadJsonContent\('\.\.\/vm\/cloud-init-files\.json'\)$/m);
    const loaded = [...replacements.matchAll(/vmFiles\['([^']+)'\]/g)].map((m) => m[1]!);
    expect(loaded.sort()).toEqual(
      ['dsvm-session-probe.service', 'dsvm-session-reporter.service', 'dsvm-session-reporter.timer', 'install-reporter.sh', 'jupyterhub_entra_config.py', 'jupyterhub_reporter_config.py', 'pool_identity.py', 'session_reporter.py'],
    );
    for (const file of loaded) expect(vm(file).length).toBeGreaterThan(0);
  });

  it('ships an install script that sh can parse', () => {
    const check = spawnSync('sh', ['-n', join(infraDir, 'vm', 'install-reporter.sh')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('enables the timer and runs the reporter script that cloud-init wrote', () => {
    const install = vm('install-reporter.sh');
    expect(install).toMatch(/systemctl enable --now dsvm-session-reporter\.timer/);
    expect(vm('dsvm-session-reporter.service')).toMatch(/^ExecStart=\/usr\/bin\/python3 \/opt\/dsvm-pool\/session_reporter\.py$/m);
    expect(cloudInit).toMatch(/path: \/opt\/dsvm-pool\/session_reporter\.py/);
    expect(cloudInit).toMatch(/runcmd:[\s\S]*\n\s*- \[\/opt\/dsvm-pool\/install-reporter\.sh\]/);
    // the pool's host key and accounts first (pool_identity.py boot), then sshd serves that key
    expect(cloudInit).toMatch(/runcmd:\s*\n(\s*#.*\n)*\s*- \[sh, -c, 'set -a; \. \/etc\/dsvm-pool\/pool\.env; \/opt\/dsvm-pool\/pool_identity\.py boot && systemctl restart ssh'\]/);
  });

  it('is a cloud-config whose file contents are single-line base64 tokens', () => {
    expect(cloudInit.split('\n')[0]).toBe('#cloud-config');
    expect(cloudInit).not.toMatch(/\t/);
    const contents = [...cloudInit.matchAll(/^\s+content: (.*)$/gm)].map((m) => m[1]);
    expect(contents.length).toBe(11);
    for (const c of contents) expect(c).toMatch(/^\{\{[A-Z_]+\}\}$/); // Bicep's base64() output has no line breaks
  });

  it('mounts the NFS home share at boot', () => {
    expect(cloudInit).toMatch(/mounts:\s*\n\s*- \["\{\{NFS_HOST\}\}:\{\{NFS_PATH\}\}", \/home, nfs, "vers=4,minorversion=1/);
  });
});
