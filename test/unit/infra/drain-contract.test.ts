// The VM side of drain before scale-in (docs/drain.md) matches the app's contract in src/autoscale/drain-contract.ts:
// the command lines run the reporter where install-reporter.sh/cloud-init put it, with flags the reporter accepts,
// and what it prints is what the app's parser reads. Plus the infra the drain relies on: the hub keeps servers
// when stopped, the load balancer probes the reporter's drain endpoint, and the timer's privileged step ends expired drains.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DRAIN_COMMAND, DRAIN_MINUTES, REPORTER_PATH, UNDRAIN_COMMAND, parseDrainOutput } from '../../../src/autoscale/drain-contract.js';
import { arrayItems, infraDir, property, propertyBlock, readBicep, resources, variable } from '../../support/infra/bicep-text.js';
import { reporterScript } from '../../support/infra/reporter.js';

const vm = (file: string) => readFileSync(join(infraDir, 'vm', file), 'utf8');
const sandbox = mkdtempSync(join(tmpdir(), 'dsvm-drain-contract-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** Runs the reporter with a contract command line's arguments, its side effects confined to a temp dir. */
function runContractLine(line: string, extraEnv: Record<string, string> = {}) {
  const [program, ...args] = line.split(' ');
  expect(program).toBe(REPORTER_PATH);
  return spawnSync('python3', [reporterScript, ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DSVMPOOL_NOLOGIN_FILE: join(sandbox, 'nologin'),
      DSVMPOOL_DRAIN_DIR: join(sandbox, 'dsvm-pool'),
      ...extraEnv,
    },
  });
}

describe('the app runs the installed reporter', () => {
  it('at the path cloud-init writes it to, which the systemd unit runs too', () => {
    expect(vm('cloud-init.yaml')).toContain(`path: ${REPORTER_PATH}\n`);
    expect(vm('cloud-init.yaml')).toMatch(/path: \/opt\/dsvm-pool\/session_reporter\.py\n\s+permissions: '0755'/);
    expect(vm('dsvm-session-reporter.service')).toContain(`ExecStart=/usr/bin/python3 ${REPORTER_PATH}\n`);
    expect(vm('install-reporter.sh')).toMatch(/^src=\/opt\/dsvm-pool$/m);
    expect(vm('session_reporter.py').split('\n')[0]).toBe('#!/usr/bin/env python3'); // run as a program by Run Command
  });

  it('with flags the reporter accepts (its --help lists them)', () => {
    const help = spawnSync('python3', [reporterScript, '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    const accepted = new Set(help.stdout.match(/--[a-z-]+/g));
    for (const line of [DRAIN_COMMAND, UNDRAIN_COMMAND]) {
      const flags = line.split(' ').filter((w) => w.startsWith('--'));
      expect(flags.length).toBeGreaterThan(0);
      for (const flag of flags) expect(accepted, `${flag} of "${line}"`).toContain(flag);
    }
    expect(DRAIN_COMMAND).toContain(`--drain-minutes ${DRAIN_MINUTES}`);
  });

  it('and the drain line prints the one JSON line the app parses, with counts', () => {
    const run = runContractLine(DRAIN_COMMAND);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const parsed = parseDrainOutput(`Enable succeeded: \n[stdout]\n${run.stdout}\n[stderr]\n${run.stderr}\n`);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (parsed.ok) expect(parsed.counts.unknown).toEqual([]);
    expect(readFileSync(join(sandbox, 'nologin'), 'utf8')).toMatch(/another VM/);
    const until = Date.parse(readFileSync(join(sandbox, 'dsvm-pool', 'drained-until'), 'utf8').trim());
    expect(Math.abs(until - (Date.now() + DRAIN_MINUTES * 60_000))).toBeLessThan(120_000);
  });

  it('a drain that could not fail the probe (drained-until unwritable) answers jupyter unknown, which the app must keep', () => {
    writeFileSync(join(sandbox, 'blocker'), '');
    const run = runContractLine(DRAIN_COMMAND, { DSVMPOOL_DRAIN_DIR: join(sandbox, 'blocker', 'dsvm-pool') });
    expect(run.status).toBe(0);
    const parsed = parseDrainOutput(run.stdout);
    expect(parsed.ok && parsed.counts.unknown).toEqual(['jupyter']);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('jupyter'); // no false 0
    expect(run.stderr).toMatch(/cannot write .*drained-until/);
  });

  it('the undrain line answers {"drained":false} and removes the blocks', () => {
    runContractLine(DRAIN_COMMAND);
    const run = runContractLine(UNDRAIN_COMMAND);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ drained: false });
    expect(spawnSync('ls', [sandbox, join(sandbox, 'dsvm-pool')], { encoding: 'utf8' }).stdout).not.toMatch(/nologin|drained-until/);
  });

  it('rejects a drain time that would never end or is no time at all', () => {
    for (const minutes of ['0', '-5', '100000', 'soon']) {
      const run = runContractLine(`${REPORTER_PATH} --drain --drain-minutes ${minutes}`);
      expect(run.status, minutes).toBe(2);
      expect(run.stdout).toBe('');
    }
  });
});

describe('what the drain relies on on the VM and in front of it', () => {
  it('the real defaults are the VM paths and the probe port; the drain never stops JupyterHub', () => {
    const reporter = vm('session_reporter.py');
    expect(reporter).toContain('env("DSVMPOOL_NOLOGIN_FILE", "/run/nologin")');
    expect(reporter).toContain('env("DSVMPOOL_DRAIN_DIR", "/run/dsvm-pool")');
    expect(reporter).toContain('env("DSVMPOOL_PROBE_PORT", "8001")');
    expect(reporter).not.toMatch(/systemctl stop jupyterhub/);
  });

  it('JupyterHub keeps single-user servers running when it stops (the config cloud-init loads into the hub)', () => {
    expect(vm('jupyterhub_reporter_config.py')).toMatch(/^c\.JupyterHub\.cleanup_servers = False/m);
    expect(vm('install-reporter.sh')).toMatch(/load_subconfig\("%s\/jupyterhub_reporter_config\.py"\)/);
  });

  it("systemctl stop jupyterhub signals only the hub's main process, not servers in its cgroup", () => {
    // systemd's default KillMode=control-group would kill local-process single-user servers despite cleanup_servers.
    const install = vm('install-reporter.sh');
    expect(install).toContain(`printf '[Service]\\nKillMode=process\\n' > /etc/systemd/system/jupyterhub.service.d/dsvm-pool-drain.conf`);
    expect(install.indexOf('KillMode=process')).toBeLessThan(install.indexOf('systemctl daemon-reload'));
  });

  it('the timer ends expired drains in a privileged step before the sandboxed report', () => {
    const unit = vm('dsvm-session-reporter.service');
    expect(unit).toContain(`ExecStartPre=+/usr/bin/python3 ${REPORTER_PATH} --undrain-if-expired\n`);
    expect(unit.indexOf('ExecStartPre=+')).toBeLessThan(unit.indexOf('ExecStart=/'));
  });

  // The drain probe (network.bicep): an HTTP probe is healthy only on 200 OK, anything else or no answer marks the
  // instance down (ProbePropertiesFormat.protocol, Microsoft.Network REST reference); a Standard load balancer then
  // sends it no new flows and keeps established ones ("Health probes overview": all TCP flows continue); the interval
  // is at least 5 s (ProbePropertiesFormat.intervalInSeconds).
  const lb = () => resources(readBicep('app/network.bicep')).find((r) => r.type === 'Microsoft.Network/loadBalancers')!;
  const probeOf = (ruleName: string) => {
    const rule = arrayItems(propertyBlock(lb().body, 'loadBalancingRules') ?? '[]').find((r) => r.includes(`name: '${ruleName}'`))!;
    const probeName = /probes', loadBalancerName, '([\w-]+)'/.exec(rule)?.[1];
    return { rule, probe: arrayItems(propertyBlock(lb().body, 'probes') ?? '[]').find((p) => p.includes(`name: '${probeName}'`))! };
  };

  it.each(['jupyterhub', 'ssh'])("the load balancer's %s rule probes the reporter's drain endpoint over HTTP on 8001", (ruleName) => {
    const { probe } = probeOf(ruleName);
    expect(probe).toMatch(/protocol: 'Http'/);
    expect(probe).toMatch(/port: probePort\b/);
    expect(variable(readBicep('app/network.bicep'), 'probePort')).toBe('8001');
    expect(probe).toMatch(/requestPath: '\/'/);
    const interval = Number(/intervalInSeconds: (\d+)/.exec(probe)?.[1]);
    const threshold = Number(/probeThreshold: (\d+)/.exec(probe)?.[1]);
    expect(interval).toBeGreaterThanOrEqual(5);
    expect(interval * threshold, 'seconds until a drained VM leaves rotation').toBeLessThanOrEqual(30);
  });

  it('the JupyterHub rule still forwards to the hub on 8000 (only the probe moved)', () => {
    expect(property(probeOf('jupyterhub').rule, 'backendPort')).toBe('8000');
    expect(property(probeOf('ssh').rule, 'backendPort')).toBe('22');
  });

  it('the probe port is open to the AzureLoadBalancer service tag only', () => {
    const nsg = resources(readBicep('app/network.bicep')).find((r) => r.type === 'Microsoft.Network/networkSecurityGroups')!;
    const rules = arrayItems(propertyBlock(nsg.body, 'securityRules') ?? '[]');
    const toProbe = rules.filter((r) => /destinationPortRange: string\(probePort\)|destinationPortRange: '8001'/.test(r));
    expect(toProbe).toHaveLength(1);
    expect(toProbe[0]).toMatch(/sourceAddressPrefix: 'AzureLoadBalancer'/);
    expect(toProbe[0]).toMatch(/access: 'Allow'/);
    for (const r of rules.filter((x) => !toProbe.includes(x))) expect(r).not.toMatch(/8001|probePort|'\*'\s*\n\s*destinationAddressPrefix: '\*'\s*\n\s*destinationPortRange: '\*'/);
  });

  it('a systemd service runs --serve-probe, restarted on failure, installed and enabled at boot', () => {
    const unit = vm('dsvm-session-probe.service');
    expect(unit).toContain(`ExecStart=/usr/bin/python3 ${REPORTER_PATH} --serve-probe\n`);
    expect(unit).toMatch(/^Restart=(always|on-failure)$/m);
    expect(unit).toMatch(/^Type=simple$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    const install = vm('install-reporter.sh');
    expect(install).toContain('install -m 0644 "$src/dsvm-session-probe.service" /etc/systemd/system/dsvm-session-probe.service');
    expect(install).toContain('systemctl enable --now dsvm-session-probe.service');
    expect(install.indexOf('dsvm-session-probe.service" /etc')).toBeLessThan(install.indexOf('systemctl daemon-reload'));
    expect(vm('cloud-init.yaml')).toMatch(/path: \/opt\/dsvm-pool\/dsvm-session-probe\.service\n\s+encoding: gz\+b64\n\s+content: \{\{PROBE_SERVICE\}\}/);
    expect(readBicep('app/pool.bicep')).toContain("{ token: '{{PROBE_SERVICE}}', value: vmFiles['dsvm-session-probe.service'] }");
  });
});
