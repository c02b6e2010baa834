// GET /api/openapi.json: the API described from the same schemas that validate it.
import { app } from '@azure/functions';
import { openApiDocument, type OpenApiPart } from '../http/openapi.js';

// The pool paths come from autoscale's module when it is part of the build.
async function poolPart(): Promise<OpenApiPart> {
  const specifier = '../http/openapi-pools.js';
  try {
    const m = (await import(specifier)) as Record<string, unknown>;
    const part = (m.poolOpenApi ?? m.openApiPools ?? m.poolPaths ?? m.default) as OpenApiPart | (() => OpenApiPart) | undefined;
    const value = typeof part === 'function' ? part() : part;
    return value && typeof value === 'object' && !('paths' in value) ? { paths: value as OpenApiPart['paths'] } : (value ?? {});
  } catch {
    return {};
  }
}

app.http('openapi', {
  methods: ['GET'],
  route: 'openapi.json',
  authLevel: 'function',
  handler: async () => ({ status: 200, jsonBody: openApiDocument(await poolPart()) }),
});
