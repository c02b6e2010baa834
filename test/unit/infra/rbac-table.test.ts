// The RBAC table (infra/rbac-operations.json) against the code and the Bicep, offline:
// - every Azure call the adapters in src/azure make (SDK methods, Batch REST paths, storage client methods) and
//   the reporter's metric POST has a row; every app/VM row belongs to a call the code makes;
// - each row's operation is an action or a data action as the provider operations list says (patterns below);
// - the custom roles in rbac.bicep hold exactly the rows' operations, data actions under dataActions;
// - each row's role is assigned to the row's principal at the row's scope.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignments, builtInRoleIds, customRoles } from '../../support/infra/role-assignments.js';

interface Row {
  caller: 'app' | 'host' | 'vm' | 'admin';
  call: string;
  rest: string;
  operation: string;
  kind: 'action' | 'dataAction';
  scope: string;
  role: string;
  source: string;
}
interface Table {
  sources: Record<string, string>;
  principals: Record<Row['caller'], string>;
  operations: Row[];
}

const root = resolve(import.meta.dirname, '../../..');
const table = JSON.parse(readFileSync(join(root, 'infra/rbac-operations.json'), 'utf8')) as Table;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const adapters = sourceFiles(join(root, 'src/azure')).map((f) => readFileSync(f, 'utf8')).join('\n');
const reporter = readFileSync(join(root, 'infra/vm/session_reporter.py'), 'utf8');
const poolIdentity = readFileSync(join(root, 'infra/vm/pool_identity.py'), 'utf8');

/** Long-running Compute methods: each polls the Compute operation-status URL (azure-notes, SDK pollers). */
const longRunning = /^virtualMachineScaleSets\.(update|createOrUpdate|start|deallocate|powerOff|deleteInstances)$|^virtualMachineScaleSetVMs\.(update|beginRunCommand\w*)$/;

/** The calls the code makes, as the table's `call` keys. */
export function callsInCode(code: string, reporterPy: string, poolIdentityPy = ''): Set<string> {
  const calls = new Set<string>();
  for (const m of code.matchAll(/\.(virtualMachineScaleSets|virtualMachineScaleSetVMs)\.(\w+)\(/g)) calls.add(`${m[1]}.${m[2]}`);
  if ([...calls].some((c) => longRunning.test(c))) calls.add('compute.operationStatus');
  if (/\.metrics\.list\(/.test(code)) calls.add('metrics.list');
  // src/azure/nat-endpoints.ts: REST calls on the ARM pipeline, named by what they read.
  if (/\/queryInboundNatRulePortMapping`/.test(code)) calls.add('network.queryInboundNatRulePortMapping');
  if (/getResource\(lbId,/.test(code)) calls.add('network.loadBalancers.get');
  if (/getResource\(frontend\.publicIPAddress\.id,/.test(code)) calls.add('network.publicIPAddresses.get');
  for (const m of code.matchAll(/\.path\('([^']+)'[^)]*\)\s*\.(get|post|put|patch|delete)\(/g)) calls.add(`batch:${m[2]!.toUpperCase()} ${m[1]}`);
  for (const m of code.matchAll(/list<\w+>\(\s*[`']([^`']+)[`']/g)) {
    calls.add(`batch:GET ${m[1]!.replace(/\$\{encodeURIComponent\((\w+)\)\}/g, '{$1}')}`);
  }
  for (const m of code.matchAll(/\.(createEntity|upsertEntity|updateEntity|deleteEntity|listEntities|getEntity|submitTransaction)(?:<[^(]*>)?\(/g)) calls.add(`table.${m[1]}`);
  if (/\.listTables\(/.test(code)) calls.add('tableService.listTables');
  if (/\.sendMessage\(/.test(code)) calls.add('queue.sendMessage');
  if (/\.listQueues\(/.test(code)) calls.add('queueService.listQueues');
  if (/monitoring\.azure\.com/.test(reporterPy) && /\/metrics", method="POST"/.test(reporterPy)) calls.add('reporter.publishMetric');
  if (/env\("DSVMPOOL_SESSIONS_TABLE_URL"\)/.test(reporterPy) && /method="PUT"/.test(reporterPy)) calls.add('reporter.writeSessionRow');
  if (/https:\/\/vault\.azure\.net/.test(poolIdentityPy) && /\/secrets\/\{/.test(poolIdentityPy)) calls.add('pool.getSecret');
  return calls;
}

/**
 * Operations the provider operations list files under DataAction (everything else here is an Action):
 * - Microsoft.Batch jobs/*, jobSchedules/*: "Azure permissions for Compute", Microsoft.Batch, DataAction part;
 * - Storage entities/messages/blobs: "Azure permissions for Storage", DataAction part (the built-in data roles
 *   list them under dataActions);
 * - Microsoft.Insights/Metrics/Write, Telemetry/Write: "Azure permissions for Monitor", DataAction part
 *   (Monitoring Metrics Publisher's dataActions).
 */
const dataActionPatterns = [
  /^Microsoft\.Batch\/batchAccounts\/(jobs|jobSchedules)\//,
  /^Microsoft\.Storage\/storageAccounts\/tableServices\/tables\/entities\//,
  /^Microsoft\.Storage\/storageAccounts\/queueServices\/queues\/messages\//,
  /^Microsoft\.Storage\/storageAccounts\/blobServices\/containers\/blobs\//,
  /^Microsoft\.Insights\/(Metrics|Telemetry)\/Write$/,
  // "Azure permissions for Security", Microsoft.KeyVault DataAction part (Key Vault Secrets User's dataActions).
  /^Microsoft\.KeyVault\/vaults\/secrets\/\w+\/action$/,
];
const isDataAction = (operation: string) => dataActionPatterns.some((p) => p.test(operation));

const roles = customRoles();
const allAssignments = assignments();

describe('the RBAC table covers the code', () => {
  const calls = callsInCode(adapters, reporter, poolIdentity);

  it('finds the calls at all', () => {
    expect(calls.size).toBeGreaterThanOrEqual(25);
    expect(calls).toContain('compute.operationStatus');
    expect(calls).toContain('batch:POST /jobs/{jobId}/addtaskcollection');
    expect(calls).toContain('batch:GET /jobs/{jobId}/tasks');
    expect(calls).toContain('reporter.publishMetric');
    expect(calls).toContain('pool.getSecret');
    expect(calls).toContain('reporter.writeSessionRow');
    expect(calls).toContain('network.queryInboundNatRulePortMapping');
    expect(calls).toContain('network.loadBalancers.get');
    expect(calls).toContain('network.publicIPAddresses.get');
  });

  it.each([...calls].map((c) => [c]))('%s has a row', (call) => {
    expect(table.operations.some((r) => r.call === call), `add a row for ${call} to infra/rbac-operations.json`).toBe(true);
  });

  it('has no app or VM row for a call the code does not make (nothing granted for nothing)', () => {
    const orphans = table.operations.filter((r) => (r.caller === 'app' || r.caller === 'vm') && !calls.has(r.call));
    expect(orphans.map((r) => `${r.call} → ${r.operation}`)).toEqual([]);
  });

  it('names a known source for every row, and every principal', () => {
    for (const r of table.operations) {
      expect(table.sources[r.source], `${r.call}: source "${r.source}"`).toBeTruthy();
      expect(table.principals[r.caller], `${r.call}: caller ${r.caller}`).toBeTruthy();
    }
  });

  it('files each operation as the provider operations list does (action vs data action)', () => {
    const wrong = table.operations.filter((r) => (r.kind === 'dataAction') !== isDataAction(r.operation));
    expect(wrong.map((r) => `${r.operation} is ${isDataAction(r.operation) ? 'a data action' : 'an action'}, the row says ${r.kind}`)).toEqual([]);
  });
});

describe('rbac.bicep follows the table', () => {
  const customSymbols = new Set(roles.map((r) => r.symbol));

  it.each(roles.map((r) => [r.symbol, r] as const))('custom role %s holds exactly its rows, data actions under dataActions', (symbol, role) => {
    const rows = table.operations.filter((r) => r.role === symbol);
    expect(rows.length, `no row names ${symbol}: a role no call needs`).toBeGreaterThan(0);
    const want = (kind: Row['kind']) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => r.operation))].sort();
    expect([...role.actions].sort()).toEqual(want('action'));
    expect([...role.dataActions].sort()).toEqual(want('dataAction'));
  });

  it('defines every custom role a row names', () => {
    const named = table.operations.map((r) => r.role).filter((role) => !(role in builtInRoleIds));
    for (const role of named) expect(customSymbols.has(role), `row names role ${role}`).toBe(true);
  });

  it.each(table.operations.map((r) => [`${r.caller} ${r.call} → ${r.operation} at ${r.scope}`, r] as const))('%s is granted', (_, r) => {
    const roleId = r.role in builtInRoleIds ? builtInRoleIds[r.role as keyof typeof builtInRoleIds] : `custom:${r.role}`;
    const principal = table.principals[r.caller];
    const found = allAssignments.filter((a) => a.principal === principal && a.roles.includes(roleId));
    expect(found.map((a) => a.scope), `${r.role} assigned to ${principal}`).toContain(r.scope);
  });
});
