// Least privilege, checked offline: every role assignment targets one resource (never the subscription or
// the resource group), uses only roles on an allow-list (no Owner/Contributor), and the custom roles carry
// exactly the actions the app's Azure calls need, derived from the code in src/azure.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepFiles, property, propertyBlock, readBicep, resources, stringLiterals, variable } from '../../support/infra/bicep-text.js';

const builtIn = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
};
const forbidden = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  virtualMachineContributor: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab',
};

const rbac = readBicep('app/rbac.bicep');
const pool = readBicep('app/pool.bicep');
const rbacResources = resources(rbac);
const customRoles = rbacResources.filter((r) => r.type === 'Microsoft.Authorization/roleDefinitions');
const existing = new Map(rbacResources.filter((r) => r.existing).map((r) => [r.symbol, r.type]));
const builtInVar = variable(rbac, 'builtIn') ?? '';

/** Role id an assignment's roleDefinitionId expression resolves to: a built-in id, or custom:<symbol>. */
function roleOf(expression: string, fileText: string): string[] {
  const custom = /^(\w+)\.id$/.exec(expression);
  if (custom) return [`custom:${custom[1]}`];
  const viaVar = /builtIn\.(\w+)/.exec(expression);
  if (viaVar) return [new RegExp(`${viaVar[1]}:\\s*'([0-9a-f-]{36})'`).exec(builtInVar)?.[1] ?? `unknown:${viaVar[1]}`];
  const named = /roleDefinitions',\s*(\w+)\)/.exec(expression);
  if (named) {
    const literal = variable(fileText, named[1]!);
    if (literal) return stringLiterals(literal).map((l) => l.trim());
    // a loop variable over a list (`for role in storageRoles`)
    const loop = new RegExp(`for\\s+${named[1]}\\s+in\\s+(\\w+)`).exec(fileText);
    const list = loop ? variable(fileText, loop[1]!) : undefined;
    if (list) return [...list.matchAll(/builtIn\.(\w+)/g)].flatMap((m) => roleOf(`builtIn.${m[1]}`, fileText));
  }
  return [`unknown:${expression}`];
}

interface Assignment {
  file: string;
  symbol: string;
  scope: string;
  principal: string;
  roles: string[];
}

const assignments: Assignment[] = bicepFiles().flatMap((file) => {
  const text = readBicep(file);
  return resources(text)
    .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments' && !r.existing)
    .map((r) => ({
      file,
      symbol: r.symbol,
      scope: property(r.body, 'scope') ?? '(none)',
      principal: property(r.body, 'principalId') ?? '',
      roles: roleOf(property(r.body, 'roleDefinitionId') ?? '', text),
    }));
});

const appAssignments = assignments.filter((a) => a.principal === 'appPrincipalId');
const appHas = (role: string, scopeType: string) =>
  appAssignments.some((a) => a.roles.includes(role) && existing.get(a.scope)?.toLowerCase() === scopeType.toLowerCase());

function actionsOf(symbol: string): string[] {
  const role = customRoles.find((r) => r.symbol === symbol);
  return role ? stringLiterals(propertyBlock(role.body, 'actions') ?? '[]') : [];
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

  it.each(assignments.map((a) => [`${a.file}:${a.symbol}`, a] as const))('%s is scoped to one resource', (_, a) => {
    const scopeSymbols = [...existing.keys(), 'scaleSet'];
    expect(scopeSymbols, `scope "${a.scope}" must be a resource symbol, not the resource group or subscription`).toContain(a.scope);
  });

  it('uses only allowed roles, never Owner, Contributor, User Access Administrator or VM Contributor', () => {
    const allowed = new Set([...Object.values(builtIn), ...customRoles.map((r) => `custom:${r.symbol}`)]);
    for (const a of assignments) {
      for (const role of a.roles) {
        expect(allowed.has(role), `${a.file}:${a.symbol} assigns ${role}`).toBe(true);
        expect(Object.values(forbidden)).not.toContain(role);
      }
    }
    const allText = bicepFiles().map(readBicep).join('\n');
    for (const [name, id] of Object.entries(forbidden)) expect(allText, name).not.toContain(id);
  });

  it('custom roles use no wildcards and are assignable in this resource group only', () => {
    expect(customRoles.length).toBe(3);
    for (const role of customRoles) {
      expect(actionsOf(role.symbol).length).toBeGreaterThan(0);
      expect(actionsOf(role.symbol).filter((a) => a.includes('*'))).toEqual([]);
      expect(propertyBlock(role.body, 'assignableScopes')).toMatch(/^\[\s*resourceGroup\(\)\.id\s*\]$/);
      expect(propertyBlock(role.body, 'dataActions')).toBeUndefined();
    }
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

  it('lets each VM publish the session metric on its scale set and nothing else', () => {
    const vmAssignments = resources(pool).filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(vmAssignments).toHaveLength(1);
    expect(property(vmAssignments[0]!.body, 'scope')).toBe('scaleSet');
    expect(property(vmAssignments[0]!.body, 'principalId')).toBe('scaleSet.identity.principalId');
    expect(variable(pool, 'monitoringMetricsPublisher')).toContain(builtIn.monitoringMetricsPublisher);
  });

  it('gives the admin only table data access on the app storage account', () => {
    const admin = assignments.filter((a) => a.principal === 'adminPrincipalId');
    expect(admin.map((a) => [a.scope, a.roles])).toEqual([['storage', [builtIn.storageTableDataContributor]]]);
  });
});

// --- what the code calls, mapped to the actions it needs ----------------------------------------------------

const srcAzure = resolve(import.meta.dirname, '../../../src/azure');
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const source = sourceFiles(srcAzure).map((f) => readFileSync(f, 'utf8')).join('\n');

const computeActions: Record<string, string[]> = {
  'virtualMachineScaleSets.get': ['Microsoft.Compute/virtualMachineScaleSets/read'],
  'virtualMachineScaleSets.update': ['Microsoft.Compute/virtualMachineScaleSets/write'],
  'virtualMachineScaleSets.createOrUpdate': ['Microsoft.Compute/virtualMachineScaleSets/write'],
  'virtualMachineScaleSets.start': ['Microsoft.Compute/virtualMachineScaleSets/start/action'],
  'virtualMachineScaleSets.deallocate': ['Microsoft.Compute/virtualMachineScaleSets/deallocate/action'],
  'virtualMachineScaleSets.powerOff': ['Microsoft.Compute/virtualMachineScaleSets/powerOff/action'],
  'virtualMachineScaleSets.deleteInstances': ['Microsoft.Compute/virtualMachineScaleSets/delete/action'],
  'virtualMachineScaleSets.getInstanceView': ['Microsoft.Compute/virtualMachineScaleSets/instanceView/read'],
  'virtualMachineScaleSetVMs.list': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'],
  'virtualMachineScaleSetVMs.get': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'],
  'virtualMachineScaleSetVMs.getInstanceView': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read'],
  'virtualMachineScaleSetVMs.update': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write'],
  // Drain before scale-in (docs/drain.md): Run Command on one instance, and nothing broader (no virtualMachines/* or
  // the scale set's own runCommand extension rights).
  'virtualMachineScaleSetVMs.beginRunCommand': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'],
  'virtualMachineScaleSetVMs.beginRunCommandAndWait': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'],
};

/** Batch REST paths the client calls → the Batch RBAC action that authorizes them. */
function batchAction(method: string, path: string): string | undefined {
  const write = method !== 'get';
  if (/^\/pools/.test(path)) return `Microsoft.Batch/batchAccounts/pools/${write ? 'write' : 'read'}`;
  if (/^\/jobs/.test(path)) return `Microsoft.Batch/batchAccounts/jobs/${write ? 'write' : 'read'}`;
  return undefined;
}

describe('custom roles cover what src/azure calls', () => {
  it('grants the scale set operator every compute action the adapters use', () => {
    const calls = [...source.matchAll(/\.(virtualMachineScaleSets|virtualMachineScaleSetVMs)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`);
    const granted = actionsOf('scaleSetOperator');
    for (const call of new Set(calls)) {
      const needed = computeActions[call];
      expect(needed, `src/azure calls ${call}: add its action to computeActions here and to the custom role`).toBeDefined();
      for (const action of needed!) expect(granted, `${call} needs ${action}`).toContain(action);
    }
    // The autoscaler's verbs, even before an adapter calls them: read, scale, start, deallocate, delete, protect.
    for (const call of ['virtualMachineScaleSets.get', 'virtualMachineScaleSets.update', 'virtualMachineScaleSets.start',
      'virtualMachineScaleSets.deallocate', 'virtualMachineScaleSets.deleteInstances', 'virtualMachineScaleSetVMs.list',
      'virtualMachineScaleSetVMs.update', 'virtualMachineScaleSetVMs.beginRunCommandAndWait']) {
      for (const action of computeActions[call]!) expect(granted).toContain(action);
    }
  });

  it('lets the app run a command on one scale set instance (drain before scale-in), and no broader command right', () => {
    const granted = actionsOf('scaleSetOperator');
    expect(granted).toContain('Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action');
    // Only the instance-level action Run Command needs: no managed run commands (runCommands/write), none on
    // standalone VMs, no extension rights that could install arbitrary code another way.
    expect(granted.filter((a) => /runcommand|extensions/i.test(a))).toEqual([
      'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action',
    ]);
  });

  it('grants no compute action beyond those the autoscaler verbs map to (plus LRO status reads)', () => {
    const mapped = new Set([...Object.values(computeActions).flat(), 'Microsoft.Compute/locations/operations/read']);
    expect(actionsOf('scaleSetOperator').filter((a) => !mapped.has(a))).toEqual([]);
  });

  it('grants the Batch role every action the Batch client needs, and no more', () => {
    const clientFile = readFileSync(join(srcAzure, 'batch/batch-client.ts'), 'utf8');
    const pathCalls = [...clientFile.matchAll(/\.path\('([^']+)'[^)]*\)\s*\.(get|post|put|patch|delete)\(/g)].map((m) => batchAction(m[2]!, m[1]!));
    const listCalls = [...clientFile.matchAll(/list<\w+>\(\s*[`']([^`'$]+)/g)].map((m) => batchAction('get', m[1]!));
    const needed = new Set([...pathCalls, ...listCalls]);
    expect(needed.size, 'found the Batch client calls').toBeGreaterThanOrEqual(3);
    expect(needed.has(undefined), 'a Batch path with no known action').toBe(false);
    const granted = actionsOf('batchJobOperator');
    for (const action of needed) expect(granted).toContain(action);
    expect(granted.filter((a) => !needed.has(a) && a !== 'Microsoft.Batch/batchAccounts/read')).toEqual([]);
  });

  it('assigns each custom role on the resource it is about', () => {
    const scopeOf = (custom: string) => appAssignments.filter((a) => a.roles.includes(`custom:${custom}`)).map((a) => existing.get(a.scope));
    expect(scopeOf('scaleSetOperator')).toEqual(['Microsoft.Compute/virtualMachineScaleSets']);
    expect(scopeOf('batchJobOperator')).toEqual(['Microsoft.Batch/batchAccounts']);
    expect(scopeOf('networkJoin').sort()).toEqual(['Microsoft.Network/loadBalancers', 'Microsoft.Network/virtualNetworks']);
  });
});
