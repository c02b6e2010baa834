// Every setting the app reads (settingsSchema in src/config.ts) is set by infra/app/api.bicep with a value the
// schema accepts, except the few that exist only for local runs, which must stay unset in Azure.
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../src/config.js';
import { arrayItems, property, propertyBlock, readBicep, resources } from '../../support/infra/bicep-text.js';

const api = readBicep('app/api.bicep');
const site = resources(api).find((r) => r.type === 'Microsoft.Web/sites')!;
const plan = resources(api).find((r) => r.type === 'Microsoft.Web/serverfarms')!;
const appSettings = new Map(
  arrayItems(propertyBlock(site.body, 'appSettings') ?? '[]').map((entry) => {
    const inner = entry.slice(1, -1);
    return [/name:\s*'([^']+)'/.exec(inner)?.[1] ?? '', /value:\s*([\s\S]*)$/.exec(inner)?.[1]?.trim() ?? ''];
  }),
);

/** Settings that only make sense off Azure; setting them in Azure would be a mistake or a hole. */
const localOnly: Record<string, string> = {
  AzureWebJobsStorage: 'a connection string (keys); Azure uses the identity-based AzureWebJobsStorage__* settings',
  DSVMPOOL_TLS_CA_FILE: 'extra CA for the local emulator',
};

const settingNames = Object.keys(settingsSchema.shape) as (keyof typeof settingsSchema.shape)[];
// Set by infra for the bearer-token validation issue 15 adds to src/config.ts (names agreed in the session brief);
// once settingsSchema reads them, the checks above and below cover them like every other setting.
const identitySettings = ['DSVMPOOL_ENTRA_TENANT_ID', 'DSVMPOOL_ENTRA_AUDIENCE'];

describe('Function App settings in infra', () => {
  it('finds the app settings block at all', () => {
    expect(site, 'a Microsoft.Web/sites resource in app/api.bicep').toBeDefined();
    expect(appSettings.size).toBeGreaterThan(5);
  });

  it.each(settingNames.filter((n) => !(n in localOnly)))('sets %s', (name) => {
    expect(appSettings.has(name), `${name} is read by src/config.ts but not set in infra/app/api.bicep`).toBe(true);
  });

  it.each(Object.keys(localOnly))('leaves the local-only setting %s unset', (name) => {
    expect(appSettings.has(name), `${name}: ${localOnly[name]}`).toBe(false);
  });

  it('names no setting that the code does not read, apart from the Functions host and App Insights ones', () => {
    const hostSettings = [
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    ];
    const unknown = [...appSettings.keys()].filter((n) => !settingNames.includes(n as never) && !hostSettings.includes(n) && !identitySettings.includes(n));
    expect(unknown).toEqual([]);
  });

  it('gives literal values the schema accepts', () => {
    for (const [name, expression] of appSettings) {
      const literal = /^'([^'$]*)'$/.exec(expression)?.[1];
      const field = settingsSchema.shape[name as keyof typeof settingsSchema.shape];
      if (literal === undefined || !field) continue;
      const parsed = field.safeParse(literal);
      expect(parsed.success, `${name}='${literal}': ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    expect(appSettings.get('DSVMPOOL_CREDENTIAL')).toBe("'default'");
  });

  it('connects the host to storage with the user-assigned identity, not a key', () => {
    expect(appSettings.get('AzureWebJobsStorage__credential')).toBe("'managedidentity'");
    expect(appSettings.get('AzureWebJobsStorage__clientId')).toBe('identityClientId');
    expect(appSettings.get('AZURE_CLIENT_ID')).toBe('identityClientId');
  });

  it('sends telemetry to App Insights with Entra auth only', () => {
    expect(appSettings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe("'ClientId=${identityClientId};Authorization=AAD'");
    const monitoring = readBicep('app/monitoring.bicep');
    const component = resources(monitoring).find((r) => r.type === 'Microsoft.Insights/components')!;
    expect(property(component.body, 'DisableLocalAuth')).toBe('true');
  });

  it('runs on Flex Consumption with Node 22 and an identity-authenticated deployment container', () => {
    expect(propertyBlock(plan.body, 'sku')).toMatch(/name:\s*'FC1'[\s\S]*tier:\s*'FlexConsumption'/);
    expect(property(site.body, 'kind')).toBe("'functionapp,linux'");
    const config = propertyBlock(site.body, 'functionAppConfig') ?? '';
    expect(propertyBlock(config, 'runtime')).toMatch(/name:\s*'node'[\s\S]*version:\s*'22'/);
    expect(propertyBlock(config, 'authentication')).toMatch(/type:\s*'UserAssignedIdentity'/);
    expect(propertyBlock(config, 'scaleAndConcurrency')).toMatch(/maximumInstanceCount/);
    // Flex Consumption takes the runtime from functionAppConfig; these settings are rejected there.
    expect(appSettings.has('FUNCTIONS_WORKER_RUNTIME')).toBe(false);
    expect(appSettings.has('FUNCTIONS_EXTENSION_VERSION')).toBe(false);
  });
});
