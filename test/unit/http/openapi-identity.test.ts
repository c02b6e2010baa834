// The OpenAPI document says how callers authenticate and that every identified route can answer 401, 403 and 503.
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/http/openapi.js';
import { withIdentityResponses } from '../../../src/http/openapi-identity.js';

type Doc = { security: Record<string, unknown>[]; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>; components: { securitySchemes: Record<string, { type: string; scheme?: string }> } };

describe('OpenAPI identity', () => {
  it('requires a function key and an Entra bearer token or an App Service session', () => {
    const doc = openApiDocument() as Doc;
    expect(doc.security).toEqual([{ functionKey: [], entraBearer: [] }, { functionKey: [], appServiceSession: [] }]);
    expect(doc.components.securitySchemes.entraBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents 401, 403 and 503 on every operation that needs a caller', () => {
    const doc = openApiDocument() as Doc;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([, op]) => !(Array.isArray(op.security) && op.security.length === 0)).map(([method, op]) => ({ at: `${method} ${path}`, statuses: Object.keys(op.responses) })));
    expect(operations.length).toBeGreaterThan(8);
    for (const { at, statuses } of operations) expect(statuses, at).toEqual(expect.arrayContaining(['401', '403', '503']));
  });

  it('leaves anonymous operations (security: []) and existing descriptions alone', () => {
    const paths = withIdentityResponses({ '/health': { get: { security: [], responses: { 200: {} } } }, '/jobs': { get: { responses: { 403: { description: 'user= names someone else' } } } } }) as Doc['paths'];
    expect(Object.keys(paths['/health']!.get!.responses)).toEqual(['200']);
    expect(paths['/jobs']!.get!.responses['403']).toEqual({ description: 'user= names someone else' });
  });
});
