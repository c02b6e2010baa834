// The identity part of the OpenAPI document: how callers authenticate (a function key AND either an Entra bearer
// token or an App Service authentication session) and the 401/403/503 every identified route can answer.
type Json = Record<string, unknown>;

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

export const identitySecuritySchemes: Json = {
  entraBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Microsoft Entra v2.0 access token for the app registration (aud = its client id), holding the app role DsvmPool.User or DsvmPool.Admin.',
  },
  appServiceSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'AppServiceAuthSession',
    description: 'A browser session of App Service authentication (sign in at /.auth/login/aad).',
  },
};

/** Function key and a caller: an Entra bearer token, or a browser session. */
export const identitySecurity = [{ functionKey: [], entraBearer: [] }, { functionKey: [], appServiceSession: [] }];

const identityResponses: Json = {
  '401': problem('No credentials, or a refused token or principal (UNAUTHENTICATED, TOKEN_INVALID, PRINCIPAL_INVALID); WWW-Authenticate says why.'),
  '403': problem('The caller lacks the app role the route needs (FORBIDDEN); the detail names the role value.'),
  '503': {
    ...problem("The tenant's signing keys could not be read (ISSUER_UNAVAILABLE), or storage or Azure is busy; Retry-After."),
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
  },
};

/** Adds the identity responses to every operation of `paths` that does not document them already (in place). */
export function withIdentityResponses(paths: Json): Json {
  for (const item of Object.values(paths) as Json[]) {
    for (const op of Object.values(item) as { responses?: Json; security?: unknown[] }[]) {
      if (!op || typeof op !== 'object' || !op.responses || (Array.isArray(op.security) && op.security.length === 0)) continue;
      for (const [status, response] of Object.entries(identityResponses)) op.responses[status] ??= response;
    }
  }
  return paths;
}
