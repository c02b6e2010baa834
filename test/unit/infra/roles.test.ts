// Least privilege, checked offline: every role assignment targets one resource (the operation-status read, which
// ARM allows only at the resource group, is the one exception), uses only roles on an allow-list (no
// Owner/Contributor), and the custom roles stay narrow. What each call needs: rbac-table.test.ts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bicepFiles, infraDir, propertyBlock, readBicep, variable } from '../../support/infra/bicep-text.js';
import { assignments, builtInRoleIds, customRoles, existingResources } from '../../support/infra/role-assignments.js';

const builtIn = builtInRoleIds;
const forbidden = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  virtualMachineContributor: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab',
};

const pool = readBicep('app/pool.bicep');
const roles = customRoles();
const existing = existingResources();
const allAssignments = assignments();

const appAssignments = allAssignments.filter((a) => a.principal === 'appPrincipalId');
const appHas = (role: string, scopeType: string) =>
  appAssignments.some((a) => a.roles.includes(role) && existing.get(a.scope)?.toLowerCase() === scopeType.toLowerCase());

function actionsOf(symbol: string): string[] {
  return roles.find((r) => r.symbol === symbol)?.actions ?? [];
}
function dataActionsOf(symbol: string): string[] {
  return roles.find((r) => r.symbol === symbol)?.dataActions ?? [];
}

describe('role assignments', () => {
  it('finds the assignments at all', () => {
    expect(appAssignments.length).toBeGreaterThanOrEqual(7);
  });

  it('makes no assignment at subscription scope: main.bicep (targetScope subscription) assigns nothing', () => {
    const main = readBicep('main.bicep');
    expect(main).toMatch(/targetScope\s*=\s*'subscription'/);
    expect(main).not.toMatch(/Microsoft\.Authorization\/roleAssignments/);
  });

  it.each(allAssignments.map((a) => [`${a.file}:${a.symbol}`, a] as const))('%s is scoped to one resource (or is the operation-status read)', (_, a) => {
    // The one exception: reading a long-running Compute operation's status needs the resource group
    // (infra/rbac-operations.json, source "asyncOps"), and the role assigned there holds that read alone.
    if (a.scope === 'resourceGroup') {
      expect(a.roles).toEqual(['custom:asyncOperationReader']);
      expect(actionsOf('asyncOperationReader')).toEqual(['Microsoft.Compute/locations/operations/read']);
      expect(dataActionsOf('asyncOperationReader')).toEqual([]);
      return;
    }
    const scopeSymbols = [...existing.keys(), 'scaleSet'];
    expect(scopeSymbols, `scope "${a.scope}" must be a resource symbol, not the subscription`).toContain(a.scope);
  });

  it('uses only allowed roles, never Owner, Contributor, User Access Administrator or VM Contributor', () => {
    const allowed = new Set([...Object.values(builtIn), ...roles.map((r) => `custom:${r.symbol}`)]);
    for (const a of allAssignments) {
      for (const role of a.roles) {
        expect(allowed.has(role), `${a.file}:${a.symbol} assigns ${role}`).toBe(true);
        expect(Object.values(forbidden)).not.toContain(role);
      }
    }
    const allText = bicepFiles().map(readBicep).join('\n');
    for (const [name, id] of Object.entries(forbidden)) expect(allText, name).not.toContain(id);
  });

  it('custom roles use no wildcards and are assignable in this resource group only', () => {
    expect(roles.length).toBe(5);
    for (const role of roles) {
      expect(role.actions.length).toBeGreaterThan(0);
      expect([...role.actions, ...role.dataActions].filter((a) => a.includes('*'))).toEqual([]);
      expect(propertyBlock(role.body, 'assignableScopes')).toMatch(/^\[\s*resourceGroup\(\)\.id\s*\]$/);
    }
  });

  // "Azure permissions for Networking": loadBalancers/read, backendAddressPools/queryInboundNatRulePortMapping/action,
  // publicIPAddresses/read are actions. The broker reads per-VM NAT ports with them, and may change nothing.
  it('lets the app read per-VM NAT ports and the pool address, at the load balancer and its public IP only', () => {
    expect(actionsOf('natPortReader').sort()).toEqual([
      'Microsoft.Network/loadBalancers/backendAddressPools/queryInboundNatRulePortMapping/action',
      'Microsoft.Network/loadBalancers/read',
      'Microsoft.Network/publicIPAddresses/read',
    ]);
    const scopes = appAssignments.filter((a) => a.roles.includes('custom:natPortReader')).map((a) => existing.get(a.scope));
    expect(scopes.sort()).toEqual(['Microsoft.Network/loadBalancers', 'Microsoft.Network/publicIPAddresses']);
  });

  it('lets the app read and write its tables and queues and the host blobs on its storage account', () => {
    expect(appHas(builtIn.storageTableDataContributor, 'Microsoft.Storage/storageAccounts')).toBe(true);
    expect(appHas(builtIn.storageQueueDataContributor, 'Microsoft.Storage/storageAccounts')).toBe(true);
    expect(appHas(builtIn.storageBlobDataOwner, 'Microsoft.Storage/storageAccounts')).toBe(true);
  });

  it('lets the app read session metrics on the scale set and publish telemetry to App Insights', () => {
    expect(appHas(builtIn.monitoringReader, 'Microsoft.Compute/virtualMachineScaleSets')).toBe(true);
    expect(appHas(builtIn.monitoringMetricsPublisher, 'Microsoft.Insights/components')).toBe(true);
  });

  it('lets each VM publish the session metric on its scale set, read the pool secrets and write the vmsessions table, nothing else', () => {
    const vm = allAssignments.filter((a) => a.principal === 'scaleSet.identity.principalId');
    expect(vm.map((a) => [a.file, a.scope, a.roles])).toEqual([
      ['app/pool.bicep', 'vault', [builtIn.keyVaultSecretsUser]],
      ['app/pool.bicep', 'scaleSet', [builtIn.monitoringMetricsPublisher]],
      ['app/pool.bicep', 'vmsessionsTable', [builtIn.storageTableDataContributor]],
    ]);
    expect(variable(pool, 'monitoringMetricsPublisher')).toContain(builtIn.monitoringMetricsPublisher);
  });

  // Learn, "Assign an Azure role for access to table data": a table-scoped assignment's scope is
  // .../storageAccounts/{account}/tableServices/default/tables/{table}. The Bicep reaches it through nested
  // `existing` resources: the account, its 'default' table service, and the table by name.
  it('scopes the VMs\' table role to the vmsessions table itself, not the storage account', () => {
    expect(existing.get('vmsessionsTable')).toBe('Microsoft.Storage/storageAccounts/tableServices/tables');
    expect(pool).toMatch(/resource vmsessionsTable '[^']+' existing = \{\s*parent: tableService\s*name: 'vmsessions'\s*\}/);
    expect(pool).toMatch(/resource tableService 'Microsoft\.Storage\/storageAccounts\/tableServices@[^']+' existing = \{\s*parent: storageAccount\s*name: 'default'\s*\}/);
    expect(pool).toMatch(/resource storageAccount 'Microsoft\.Storage\/storageAccounts@[^']+' existing = \{\s*name: storageAccountName\s*\}/);
    expect(readBicep('main.bicep')).toMatch(/storageAccountName: storage\.outputs\.name\s*\n\s*sessionsTableUrl: '\$\{storage\.outputs\.tableEndpoint\}vmsessions'/);
  });

  it('gives the reporter the table URL it reads (DSVMPOOL_SESSIONS_TABLE_URL) in the file systemd loads for it', () => {
    const reporter = readFileSync(join(infraDir, 'vm', 'session_reporter.py'), 'utf8');
    expect(reporter).toContain('base = env("DSVMPOOL_SESSIONS_TABLE_URL")');
    expect(pool).toContain("{ token: '{{REPORTER_ENV}}', value: base64('DSVMPOOL_SESSIONS_TABLE_URL=${sessionsTableUrl}\\n') }");
    const cloudInit = readFileSync(join(infraDir, 'vm', 'cloud-init.yaml'), 'utf8');
    expect(cloudInit).toMatch(/path: \/etc\/dsvm-pool\/reporter\.env\n\s+permissions: '0644'\n\s+encoding: b64\n\s+content: \{\{REPORTER_ENV\}\}/);
    for (const unit of ['dsvm-session-reporter.service', 'dsvm-session-probe.service']) {
      expect(readFileSync(join(infraDir, 'vm', unit), 'utf8')).toContain('EnvironmentFile=-/etc/dsvm-pool/reporter.env');
    }
  });

  it('gives the admin only table data access on the app storage account and secrets on the pool vault', () => {
    const admin = allAssignments.filter((a) => a.principal === 'adminPrincipalId');
    expect(admin.map((a) => [a.scope, a.roles])).toEqual([
      ['storage', [builtIn.storageTableDataContributor]],
      ['vault', [builtIn.keyVaultSecretsOfficer]],
    ]);
  });
});

// What each call needs is in infra/rbac-operations.json and checked by rbac-table.test.ts; these are the
// least-privilege rules on top of it.
describe('custom roles stay narrow', () => {
  it('lets the app run a command on one scale set instance (drain before scale-in), and no broader command right', () => {
    const granted = actionsOf('scaleSetOperator');
    expect(granted).toContain('Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action');
    // Only the instance-level action Run Command needs: no managed run commands (runCommands/write), none on
    // standalone VMs, no extension rights that could install arbitrary code another way.
    expect(granted.filter((a) => /runcommand|extensions/i.test(a))).toEqual([
      'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action',
    ]);
  });

  it('assigns each custom role on the resource it is about', () => {
    const scopeOf = (custom: string) =>
      appAssignments.filter((a) => a.roles.includes(`custom:${custom}`)).map((a) => (a.scope === 'resourceGroup' ? 'resourceGroup' : existing.get(a.scope)));
    expect(scopeOf('scaleSetOperator')).toEqual(['Microsoft.Compute/virtualMachineScaleSets']);
    expect(scopeOf('asyncOperationReader')).toEqual(['resourceGroup']);
    expect(scopeOf('batchJobOperator')).toEqual(['Microsoft.Batch/batchAccounts']);
    expect(scopeOf('networkJoin').sort()).toEqual(['Microsoft.Network/loadBalancers', 'Microsoft.Network/virtualNetworks']);
  });
});
