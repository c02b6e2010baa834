// Re-provisioning harms no one, per-VM ports, azd tags and regions, checked on the template text (no Bicep
// compiler here). Sources for each Azure fact are named beside it.
import { describe, expect, it } from 'vitest';
import { arrayItems, bicepFiles, decorators, property, propertyBlock, readBicep, resources, variable } from '../../support/infra/bicep-text.js';

const all = bicepFiles().map((file) => ({ file, text: readBicep(file) }));
const pool = readBicep('app/pool.bicep');
const batch = readBicep('app/batch.bicep');
const network = readBicep('app/network.bicep');
const api = readBicep('app/api.bicep');
const main = readBicep('main.bicep');

describe('re-provisioning never changes a scale set capacity or a Batch pool size', () => {
  // Bicep 0.38.3 release notes (Azure/bicep#17996): "@onlyIfNotExists() GA": the resource is deployed only when
  // it does not exist yet, so a second deployment sends no PUT for it.
  const sizing = /\b(capacity|targetDedicatedNodes|targetLowPriorityNodes|autoScale)\s*:/;

  it('sets capacity and target sizes only in the scale set and the Batch pools', () => {
    const setters = all.flatMap(({ file, text }) => resources(text).filter((r) => !r.existing && sizing.test(r.body)).map((r) => `${file}:${r.symbol}`));
    expect(setters.sort()).toEqual(['app/batch.bicep:batchPools', 'app/pool.bicep:scaleSet']);
  });

  it.each([
    ['app/pool.bicep', pool, 'scaleSet', 'Microsoft.Compute/virtualMachineScaleSets'],
    ['app/batch.bicep', batch, 'batchPools', 'Microsoft.Batch/batchAccounts/pools'],
  ])('%s deploys %s only if it does not exist yet (@onlyIfNotExists), at size 0', (_, text, symbol, type) => {
    const resource = resources(text).find((r) => r.symbol === symbol)!;
    expect(resource.type).toBe(type);
    expect(decorators(text, symbol)).toContain('@onlyIfNotExists()');
    expect(resource.body).not.toMatch(/\bif\s*\(/); // not a condition someone could flip to true
    const sizes = [...resource.body.matchAll(/\b(capacity|targetDedicatedNodes|targetLowPriorityNodes):\s*(\S+?)[,\s}]/g)].map((m) => m[2]);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.every((v) => v === '0')).toBe(true);
  });

  it('the scale set keeps the autoscaler in charge: no scale-in policy, no overprovisioning, manual upgrades', () => {
    const scaleSet = resources(pool).find((r) => r.symbol === 'scaleSet')!.body;
    expect(property(scaleSet, 'overprovision')).toBe('false');
    expect(scaleSet).not.toMatch(/scaleInPolicy/);
    expect(scaleSet).toMatch(/upgradePolicy:\s*\{\s*mode:\s*'Manual'\s*\}/);
  });
});

describe('per-VM ports are inbound NAT rules on the backend pool (the broker contract)', () => {
  // Inbound NAT pools retire on 30 September 2027 (Azure Load Balancer docs, "Inbound NAT rules"; migrate to NAT
  // rules). REST spec InboundNatRulePropertiesFormat (Microsoft.Network 2021-02-01+): frontendPortRangeStart/End
  // "used together with BackendAddressPool … individual inbound NAT rule port mappings will be created for each
  // backend address".
  const lb = resources(network).find((r) => r.type === 'Microsoft.Network/loadBalancers')!;
  const rules = arrayItems(variable(network, 'natRules') ?? '[]');

  it('has no inbound NAT pool anywhere in the load balancer or the scale set', () => {
    expect(lb.body).not.toMatch(/inboundNatPools/);
    expect(pool).not.toMatch(/loadBalancerInboundNatPools/);
  });

  it('declares nat-ssh 50000-50999 → 22 and nat-jupyter 51000-51999 → 8000', () => {
    const field = (item: string, key: string) => new RegExp(`\\b${key}:\\s*([^,}\\s]+)`).exec(item)?.[1];
    expect(rules.map((r) => ['name', 'frontendPortRangeStart', 'frontendPortRangeEnd', 'backendPort'].map((k) => field(r, k)))).toEqual([
      ["'nat-ssh'", '50000', '50999', '22'],
      ["'nat-jupyter'", '51000', '51999', '8000'],
    ]);
  });

  it('maps each rule onto the backend pool the scale set joins, over TCP', () => {
    const block = propertyBlock(lb.body, 'inboundNatRules')!;
    expect(block).toMatch(/for\s+rule\s+in\s+natRules/);
    expect(block).toMatch(/backendAddressPool:\s*\{\s*id:\s*backendId\s*\}/);
    expect(block).toMatch(/protocol:\s*'Tcp'/);
    expect(block).toMatch(/frontendPortRangeStart:\s*rule\.frontendPortRangeStart/);
    expect(block).toMatch(/frontendPortRangeEnd:\s*rule\.frontendPortRangeEnd/);
    expect(block).toMatch(/backendPort:\s*rule\.backendPort/);
    expect(pool).toMatch(/loadBalancerBackendAddressPools:\s*\[\{\s*id:\s*backendPoolId\s*\}\]/);
  });
});

describe('azd', () => {
  it('tags only the function app with azd-service-name (older azd stops when two resources carry it)', () => {
    const tagged = all.flatMap(({ file, text }) => resources(text).filter((r) => /azd-service-name/.test(r.body)).map((r) => `${file}:${r.symbol}`));
    expect(tagged).toEqual(['app/api.bicep:functionApp']);
    const plan = resources(api).find((r) => r.type === 'Microsoft.Web/serverfarms')!;
    expect(property(plan.body, 'tags')).toBe('tags');
    expect(main).not.toMatch(/azd-service-name/);
  });

  it('offers only regions with Flex Consumption', () => {
    // Azure-Samples/functions-quickstart-typescript-azd infra/main.bicep @allowed list (Flex Consumption regions),
    // without the canary eastus2euap.
    const flexConsumption = [
      'australiaeast', 'australiasoutheast', 'brazilsouth', 'canadacentral', 'centralindia', 'centralus', 'eastasia', 'eastus',
      'eastus2', 'francecentral', 'germanywestcentral', 'italynorth', 'japaneast', 'koreacentral', 'northcentralus', 'northeurope',
      'norwayeast', 'southafricanorth', 'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'uaenorth',
      'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westus', 'westus2', 'westus3',
    ];
    const allowed = decorators(main, 'location').find((d) => d.startsWith('@allowed'));
    expect(allowed, 'location has an @allowed list').toBeDefined();
    expect([...allowed!.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1])).toEqual(flexConsumption);
  });
});
