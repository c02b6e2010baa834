// App Service authentication and the Entra app registration (issue 15's Azure side), checked on the template text.
// Facts and sources:
// - authsettingsV2 shape and unauthenticatedClientAction values RedirectToLoginPage | AllowAnonymous | Return401 |
//   Return403 (GlobalValidation, Azure REST API / @azure-rest/arm-appservice reference); excludedPaths: "paths for
//   which unauthenticated flow would not be redirected to the login page".
// - No client secret → OpenID Connect implicit flow for browser sign-in (SiteAuthSettings.clientSecret docs), so the
//   registration must issue ID tokens (Graph implicitGrantSettings.enableIdTokenIssuance).
// - Microsoft Graph Bicep extension GA, types br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0,
//   Bicep ≥ 0.36.1 (learn.microsoft.com/graph/templates/bicep/whats-new, July 2025); resource types
//   Microsoft.Graph/applications, servicePrincipals, appRoleAssignedTo (Graph Bicep reference overview).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { infraDir, modules, property, propertyBlock, readBicep, resources, stringLiterals } from '../../support/infra/bicep-text.js';

const api = readBicep('app/api.bicep');
const entra = readBicep('app/entra.bicep');
const main = readBicep('main.bicep');
const auth = resources(api).find((r) => r.type === 'Microsoft.Web/sites/config')!;
const app = resources(entra).find((r) => r.type === 'Microsoft.Graph/applications')!;

describe('App Service authentication (authsettingsV2)', () => {
  it('is the authsettingsV2 config of the function app, with the platform on', () => {
    expect(auth, 'a Microsoft.Web/sites/config resource in app/api.bicep').toBeDefined();
    expect(property(auth.body, 'parent')).toBe('functionApp');
    expect(property(auth.body, 'name')).toBe("'authsettingsV2'");
    expect(propertyBlock(auth.body, 'platform')).toMatch(/enabled:\s*true/);
  });

  it('sends browsers without a session to Entra sign-in and lets bearer-token callers through; health stays open', () => {
    const global = propertyBlock(auth.body, 'globalValidation')!;
    expect(property(global, 'requireAuthentication')).toBe('true');
    const action = /unauthenticatedClientAction:\s*'(\w+)'/.exec(global)?.[1];
    expect(['RedirectToLoginPage', 'AllowAnonymous', 'Return401', 'Return403']).toContain(action);
    expect(action).toBe('RedirectToLoginPage');
    expect(stringLiterals(propertyBlock(global, 'excludedPaths') ?? '[]')).toEqual(['/api/health']);
    // The excluded path is the anonymous health route (routePrefix api), and nothing that returns user data.
    const health = readFileSync(join(infraDir, '../src/functions/health.ts'), 'utf8');
    expect(health).toMatch(/route: 'health', authLevel: 'anonymous'/);
  });

  it('validates tokens of this tenant for this registration only, with no client secret', () => {
    const aad = propertyBlock(auth.body, 'azureActiveDirectory')!;
    expect(aad).toMatch(/enabled:\s*true/);
    expect(aad).toMatch(/openIdIssuer:\s*'\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{tenant\(\)\.tenantId\}\/v2\.0'/);
    expect(aad).toMatch(/clientId:\s*entraClientId/);
    expect(propertyBlock(aad, 'allowedAudiences')).toMatch(/^\[\s*entraClientId,\s*entraIdentifierUri\s*\]$/);
    expect(aad).not.toMatch(/clientSecret/i);
  });

  it('gives the app the same tenant and audiences for the tokens it validates itself', () => {
    expect(api).toMatch(/\{ name: 'DSVMPOOL_ENTRA_TENANT_ID', value: tenant\(\)\.tenantId \}/);
    expect(api).toMatch(/\{ name: 'DSVMPOOL_ENTRA_AUDIENCE', value: '\$\{entraClientId\},\$\{entraIdentifierUri\}' \}/);
    expect(api).toMatch(/\{ name: 'DSVMPOOL_ADMIN_ROLE', value: 'DsvmPool\.Admin' \}/);
  });
});

describe('the app registration (Microsoft Graph Bicep extension)', () => {
  it('uses the GA v1.0 Graph types through bicepconfig.json', () => {
    const config = JSON.parse(readFileSync(join(infraDir, 'bicepconfig.json'), 'utf8')) as { extensions: Record<string, string> };
    expect(config.extensions.microsoftGraphV1).toBe('br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0');
    expect(entra).toMatch(/^extension microsoftGraphV1$/m);
    expect(app.apiVersion).toBe('v1.0');
    expect(property(app.body, 'uniqueName')).toBe('uniqueName');
  });

  it('declares the app roles DsvmPool.Admin and DsvmPool.User for users and apps, with stable ids', () => {
    const roles = propertyBlock(app.body, 'appRoles')!;
    expect([...roles.matchAll(/value:\s*'([^']+)'/g)].map((m) => m[1])).toEqual(['DsvmPool.Admin', 'DsvmPool.User']);
    expect([...roles.matchAll(/id:\s*(\w+)/g)].map((m) => m[1])).toEqual(['adminRoleId', 'userRoleId']);
    expect(entra).toMatch(/var adminRoleId = guid\(uniqueName, 'DsvmPool\.Admin'\)/);
    expect([...roles.matchAll(/allowedMemberTypes:\s*\['User', 'Application'\]/g)]).toHaveLength(2);
  });

  it('issues v2 access tokens and lets the Azure CLI get one without a consent prompt', () => {
    expect(app.body).toMatch(/requestedAccessTokenVersion:\s*2/);
    expect(entra).toMatch(/var azureCliAppId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'/);
    expect(propertyBlock(app.body, 'preAuthorizedApplications')).toMatch(/appId:\s*azureCliAppId,\s*delegatedPermissionIds:\s*\[userImpersonationId\]/);
    expect(property(app.body, 'identifierUris')).toBe('[identifierUri]');
  });

  it('lets App Service authentication sign browsers in (callback URI, ID tokens) and requires a role to get a token', () => {
    expect(app.body).toMatch(/redirectUris:\s*\['https:\/\/\$\{appHostName\}\/\.auth\/login\/aad\/callback', hubCallbackUrl\]/);
    expect(main).toMatch(/var hubCallbackUrl = 'https:\/\/\$\{network\.outputs\.fqdn\}:8000\/hub\/oauth_callback'/);
    expect(app.body).toMatch(/enableIdTokenIssuance:\s*true/);
    const sp = resources(entra).find((r) => r.type === 'Microsoft.Graph/servicePrincipals')!;
    expect(property(sp.body, 'appId')).toBe('app.appId');
    expect(property(sp.body, 'appRoleAssignmentRequired')).toBe('true');
  });

  it('is wired from main: the callback host is the function app, and its outputs reach the app settings', () => {
    const m = modules(main).find((x) => x.symbol === 'entra')!;
    expect(m.path).toBe('app/entra.bicep');
    expect(main).toMatch(/appHostName: '\$\{functionAppName\}\.azurewebsites\.net'/);
    expect(main).toMatch(/appName: functionAppName/);
    expect(main).toMatch(/entraClientId: entra\.outputs\.clientId/);
    expect(main).toMatch(/output DSVMPOOL_API_RESOURCE string = entra\.outputs\.identifierUri/);
  });
});
