// The Entra app registration callers authenticate against (issue "Identity nobody can forge"), declared with the
// Microsoft Graph Bicep extension (infra/bicepconfig.json) rather than an azd hook: it is idempotent (keyed by
// uniqueName), re-provisioning converges it like any other resource, and the app's client id flows into the
// Function App's settings and App Service authentication in the same deployment. The deploying person needs the
// right to create applications in the tenant (README "Deployment").
//
// - App roles DsvmPool.Admin and DsvmPool.User: the `roles` claim the app checks (src/http/identity.ts).
// - Access tokens v2 (api.requestedAccessTokenVersion 2): aud = the client id, iss = {authority}/{tenant}/v2.0,
//   the shape the app validates and the local emulator mints.
// - A delegated scope user_impersonation with the Azure CLI pre-authorized, so a person's script can run
//   `az account get-access-token --resource api://…` without a consent prompt (Azure CLI client id
//   04b07795-8ddb-461a-bbee-02f9e1bf7b46, a well-known first-party app).
// - Browser sign-in through App Service authentication without a client secret: the OpenID Connect implicit
//   flow, so the registration issues ID tokens (web.implicitGrantSettings.enableIdTokenIssuance) and lists the
//   app's /.auth/login/aad/callback (SiteAuthSettings.clientSecret docs: "If no client secret is configured, the
//   OpenID Connect implicit auth flow is used").
extension microsoftGraphV1

@description('Unique name of the registration in the tenant (the Graph extension\'s idempotency key).')
param uniqueName string
param displayName string
@description('Application ID URI, e.g. api://dsvm-pool-<env>: the resource scripts request tokens for.')
param identifierUri string
@description('Host name of the Function App, for the App Service authentication callback.')
param appHostName string
@description('JupyterHub\'s OAuth callback on the pool (https://<pool fqdn>:8000/hub/oauth_callback).')
param hubCallbackUrl string
@description('Object id of a user or group to give DsvmPool.Admin; empty: nobody (README says how to grant it).')
param adminPrincipalId string = ''

var azureCliAppId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'
var userImpersonationId = guid(uniqueName, 'user_impersonation')
var adminRoleId = guid(uniqueName, 'DsvmPool.Admin')
var userRoleId = guid(uniqueName, 'DsvmPool.User')

resource app 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  identifierUris: [identifierUri]
  api: {
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      {
        id: userImpersonationId
        value: 'user_impersonation'
        type: 'User'
        isEnabled: true
        adminConsentDisplayName: 'Use dsvm-pool as the signed-in user'
        adminConsentDescription: 'Lets the client call the dsvm-pool API as the signed-in user.'
        userConsentDisplayName: 'Use dsvm-pool as you'
        userConsentDescription: 'Lets the client call the dsvm-pool API as you.'
      }
    ]
    preAuthorizedApplications: [
      { appId: azureCliAppId, delegatedPermissionIds: [userImpersonationId] }
    ]
  }
  appRoles: [
    {
      id: adminRoleId
      value: 'DsvmPool.Admin'
      displayName: 'dsvm-pool admin'
      description: 'Edits policies and sees every user\'s jobs and sessions.'
      allowedMemberTypes: ['User', 'Application']
      isEnabled: true
    }
    {
      id: userRoleId
      value: 'DsvmPool.User'
      displayName: 'dsvm-pool user'
      description: 'Submits and reads their own jobs, asks for a VM.'
      allowedMemberTypes: ['User', 'Application']
      isEnabled: true
    }
  ]
  web: {
    // App Service authentication's callback, and JupyterHub's on the DSVMs (its client secret: pool-secrets.mjs).
    redirectUris: ['https://${appHostName}/.auth/login/aad/callback', hubCallbackUrl]
    implicitGrantSettings: { enableIdTokenIssuance: true, enableAccessTokenIssuance: false }
  }
}

resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: app.appId
  // Only principals given a role get tokens for the API: an app role is then always present in the token.
  appRoleAssignmentRequired: true
}

resource adminRole 'Microsoft.Graph/appRoleAssignedTo@v1.0' = if (!empty(adminPrincipalId)) {
  appRoleId: adminRoleId
  principalId: adminPrincipalId
  resourceId: servicePrincipal.id
}

output clientId string = app.appId
output identifierUri string = identifierUri
output adminRoleId string = adminRoleId
output userRoleId string = userRoleId
