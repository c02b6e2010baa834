// The tables and queues infra creates are the ones the app uses; main.bicep passes every required module
// parameter and only parameters the modules declare; azd's parameters file and the seeding hook line up with
// main.bicep's parameters and outputs. (No Bicep compiler here: this is the compile-time wiring we can check.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageNames } from '../../../src/azure/storage.js';
import { infraDir, modules, outputs, params, readBicep, stringLiterals, variable } from '../../support/infra/bicep-text.js';

const main = readBicep('main.bicep');

describe('app storage in infra', () => {
  const storage = readBicep('app/storage.bicep');
  it('creates exactly the tables the app uses', () => {
    expect(stringLiterals(variable(storage, 'tableNames') ?? '').sort()).toEqual([...storageNames.tables].sort());
  });
  it('creates exactly the queues the app uses', () => {
    expect(stringLiterals(variable(storage, 'queueNames') ?? '').sort()).toEqual([...storageNames.queues].sort());
  });
});

describe('main.bicep wiring', () => {
  const mods = modules(main);

  it('uses the app modules and creates the resource group at subscription scope', () => {
    expect(mods.map((m) => m.symbol).sort()).toEqual(['api', 'batch', 'entra', 'files', 'identity', 'monitoring', 'network', 'pool', 'rbac', 'storage', 'vault']);
    expect(main).toMatch(/resource rg 'Microsoft\.Resources\/resourceGroups@/);
  });

  it.each(mods.map((m) => [m.symbol, m] as const))('module %s gets every required parameter and no unknown one', (_, m) => {
    const file = join('.', m.path);
    expect(existsSync(join(infraDir, file)), file).toBe(true);
    const declared = params(readBicep(file));
    const required = declared.filter((p) => !p.hasDefault).map((p) => p.name);
    expect(required.filter((p) => !m.params.includes(p)), `missing in main.bicep's ${m.symbol} params`).toEqual([]);
    expect(m.params.filter((p) => !declared.some((d) => d.name === p)), `not declared by ${m.path}`).toEqual([]);
  });

  it.each(mods.map((m) => [m.symbol, m] as const))('module %s outputs what main.bicep reads from it', (_, m) => {
    const provided = outputs(readBicep(m.path));
    const used = [...main.matchAll(new RegExp(`\\b${m.symbol}\\.outputs\\.(\\w+)`, 'g'))].map((x) => x[1]!);
    expect(used.filter((u) => !provided.includes(u))).toEqual([]);
  });

  it('main.parameters.json names only parameters main.bicep declares, and covers the required ones', () => {
    const file = JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
    const declared = params(main);
    const given = Object.keys(file.parameters);
    expect(given.filter((g) => !declared.some((d) => d.name === g))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });

  it('outputs every variable the post-provision seeding hook reads', () => {
    const hook = readFileSync(join(infraDir, 'scripts/seed-policies.mjs'), 'utf8');
    const read = [...hook.matchAll(/(?:required|whole|shape)\('(\w+)'/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((r) => !outputs(main).includes(r))).toEqual([]);
  });

  it('outputs every variable the pool-secrets hook and the smoke script read', () => {
    for (const script of ['scripts/pool-secrets.mjs', 'scripts/smoke.mjs']) {
      const text = readFileSync(join(infraDir, script), 'utf8');
      const read = [...text.matchAll(/required\('(\w+)'/g)].map((m) => m[1]!);
      expect(read.length, script).toBeGreaterThan(1);
      expect(read.filter((r) => !outputs(main).includes(r)), script).toEqual([]);
    }
  });

  it('azure.yaml deploys service api as a TypeScript function and runs the seeding hook after provisioning', () => {
    const azureYaml = readFileSync(join(infraDir, '../azure.yaml'), 'utf8');
    expect(azureYaml).toMatch(/services:\s*\n\s+api:\s*\n\s+project: \.\s*\n\s+language: ts\s*\n\s+host: function/);
    expect(azureYaml).toMatch(/postprovision:[\s\S]*run: node infra\/scripts\/seed-policies\.mjs && node infra\/scripts\/pool-secrets\.mjs/);
    expect(main).toMatch(/azdServiceName: 'api'/);
    // azd's Node packaging ships the service's `dist` directory (Azure/azure-dev framework_service_node.go: the
    // package is the build artifact at path + OutputPath), so the lean package is what gets uploaded.
    expect(azureYaml).toMatch(/host: function\s*\n\s+dist: \.deploy\s*\n/);
    expect(azureYaml).toMatch(/prepackage:[\s\S]*run: npm run build && node infra\/scripts\/package\.mjs --out \.deploy/);
  });
});
