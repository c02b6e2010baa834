// The role definitions and role assignments the Bicep files declare, read as text (no Bicep compiler here):
// shared by the least-privilege checks (roles.test.ts) and the RBAC table checks (rbac-table.test.ts).
import { bicepFiles, property, propertyBlock, readBicep, resources, stringLiterals, variable } from './bicep-text.js';

/** Built-in role definition ids (Azure built-in roles pages; the same ids rbac.bicep and pool.bicep name). */
export const builtInRoleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
} as const;

export interface CustomRole {
  symbol: string;
  body: string;
  actions: string[];
  dataActions: string[];
}

export interface Assignment {
  file: string;
  symbol: string;
  /** A resource symbol, or 'resourceGroup' when the assignment has no scope (a resource-group module's default). */
  scope: string;
  principal: string;
  /** Built-in role ids, or custom:<symbol> for a role defined in rbac.bicep. */
  roles: string[];
}

export const rbacText = (): string => readBicep('app/rbac.bicep');

export function customRoles(text = rbacText()): CustomRole[] {
  return resources(text)
    .filter((r) => r.type === 'Microsoft.Authorization/roleDefinitions' && !r.existing)
    .map((r) => ({
      symbol: r.symbol,
      body: r.body,
      actions: stringLiterals(propertyBlock(r.body, 'actions') ?? '[]'),
      dataActions: stringLiterals(propertyBlock(r.body, 'dataActions') ?? '[]'),
    }));
}

/** Role id an assignment's roleDefinitionId expression resolves to: a built-in id, or custom:<symbol>. */
function roleOf(expression: string, fileText: string): string[] {
  const custom = /^(\w+)\.id$/.exec(expression);
  if (custom) return [`custom:${custom[1]}`];
  const builtInVar = variable(fileText, 'builtIn') ?? '';
  const plainVar = /^(\w+)$/.exec(expression);
  if (plainVar) return [variable(fileText, plainVar[1]!)?.replace(/'/g, '').trim() ?? `unknown:${expression}`];
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

export function assignments(): Assignment[] {
  return bicepFiles().flatMap((file) => {
    const text = readBicep(file);
    return resources(text)
      .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments' && !r.existing)
      .map((r) => ({
        file,
        symbol: r.symbol,
        scope: property(r.body, 'scope') ?? 'resourceGroup',
        principal: property(r.body, 'principalId') ?? '',
        roles: roleOf(property(r.body, 'roleDefinitionId') ?? '', text),
      }));
  });
}

/** Symbol → resource type of the `existing` resources the Bicep files scope their assignments to. */
export function existingResources(texts = bicepFiles().map(readBicep)): Map<string, string> {
  return new Map(texts.flatMap((text) => resources(text).filter((r) => r.existing).map((r) => [r.symbol, r.type] as const)));
}
