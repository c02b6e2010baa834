// The reporter's per-user row for the connection broker, against real parts: a real JupyterHub single-user server
// and a real SSH login, the row written over the Table REST API into Azurite's `vmsessions` table, and read back by
// the app's own adapter (src/azure/vm-reports.ts), which the evaluations use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureNamedKeyCredential, generateTableSas, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVmReportStore } from '../../../src/azure/vm-reports.js';
import { startAzurite, type RunningAzurite } from '../../../src/local/azurite.js';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { hostLock } from '../../support/infra/host-lock.js';
import { startImdsStub, type ImdsStub } from '../../support/infra/imds-stub.js';
import { startJupyterHub, type TestJupyterHub } from '../../support/infra/jupyterhub.js';
import { runReporter } from '../../support/infra/reporter.js';
import { startSshd, type TestSshd } from '../../support/infra/sshd.js';

let azurite: RunningAzurite;
let emulator: Emulator;
let hub: TestJupyterHub;
let sshd: TestSshd;
let imds: ImdsStub;
let vmssId: string;
let dir: string;
let env: Record<string, string>;
let release: (() => void) | undefined;

beforeAll(async () => {
  release = await hostLock('jupyter-servers');
  dir = mkdtempSync(join(tmpdir(), 'dsvm-reporter-row-'));
  [azurite, emulator] = await Promise.all([startAzurite(), startEmulator({ port: 0 })]);
  vmssId = emulator.compute.createScaleSet({ resourceGroup: 'dsvm-pool-row', name: 'dsvm', capacity: 1, location: 'westeurope' });
  writeFileSync(join(dir, 'ca.pem'), emulator.caPem);
  imds = await startImdsStub({ vmssId, instanceId: '0', location: 'westeurope' });
  [hub, sshd] = await Promise.all([startJupyterHub(), startSshd()]);
  const table = TableClient.fromConnectionString(azurite.connectionString, 'vmsessions', { allowInsecureConnection: true });
  await table.createTable();
  const account = /AccountName=([^;]+)/.exec(azurite.connectionString)![1]!;
  const key = /AccountKey=([^;]+)/.exec(azurite.connectionString)![1]!;
  const sas = generateTableSas('vmsessions', new AzureNamedKeyCredential(account, key), { permissions: { add: true, update: true }, expiresOn: new Date(Date.now() + 3600_000) });
  env = {
    DSVMPOOL_HUB_API_URL: hub.apiUrl,
    DSVMPOOL_HUB_TOKEN_FILE: hub.reporterTokenFile,
    DSVMPOOL_SSHD_PIDFILE: sshd.pidFile,
    DSVMPOOL_IMDS_URL: imds.url,
    DSVMPOOL_METRICS_ENDPOINT: emulator.url,
    DSVMPOOL_METRICS_CA_FILE: join(dir, 'ca.pem'),
    DSVMPOOL_SESSIONS_TABLE_URL: `${azurite.tableUrl}/vmsessions`,
    DSVMPOOL_SESSIONS_TABLE_SAS: sas,
    DSVMPOOL_RETRIES: '0',
  };
}, 420_000);

afterAll(async () => {
  await Promise.allSettled([hub?.dispose(), sshd?.stop(), imds?.stop(), emulator?.stop(), azurite?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
  release?.();
});

describe('the per-user session row', () => {
  it('names who is on the VM (hub user, SSH user) and is overwritten each run, so nobody stays listed after leaving', async () => {
    const reports = createVmReportStore(TableClient.fromConnectionString(azurite.connectionString, 'vmsessions', { allowInsecureConnection: true }));
    await hub.startServer('erin');
    const login = await sshd.login();
    const run = await runReporter(env);
    expect(run.status, run.stderr + JSON.stringify(run.events)).toBe(0);
    expect(run.events).toContainEqual(expect.objectContaining({ event: 'reported', row: true }));
    const [row] = await reports.list(vmssId);
    expect(row).toMatchObject({ instanceId: '0', counts: { jupyter: 1, ssh: 1 }, drained: false });
    expect(row!.sessions).toEqual(expect.arrayContaining([{ user: 'erin', kind: 'jupyter' }, { user: sshd.user.toLowerCase(), kind: 'ssh' }]));
    expect(Date.now() - Date.parse(row!.reportedAt)).toBeLessThan(60_000);

    await login.close();
    await hub.stopServer('erin');
    expect((await runReporter(env)).status).toBe(0);
    const [after] = await reports.list(vmssId);
    expect(after).toMatchObject({ counts: { jupyter: 0, ssh: 0 }, sessions: [] });
  });
});
