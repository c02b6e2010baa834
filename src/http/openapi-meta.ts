// The app's own routes in the OpenAPI document: health, this document, and the rendered reference at /api/docs.
import { problemResponses } from './openapi-problems.js';

type Json = Record<string, unknown>;

const healthReport: Json = {
  type: 'object',
  description: 'The app version and each dependency probed now; `checkedAt` is the real (wall-clock) time of the check.',
  properties: {
    status: { type: 'string', enum: ['healthy', 'unhealthy'] },
    version: { type: 'string' },
    checkedAt: { type: 'string', format: 'date-time' },
    dependencies: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          status: { type: 'string', enum: ['ok', 'failed'] },
          fatal: { type: 'boolean', description: 'A failed fatal dependency makes the app unhealthy.' },
          durationMs: { type: 'integer' },
          detail: { type: 'string' },
        },
      },
    },
  },
  required: ['status', 'version', 'checkedAt', 'dependencies'],
};

const report = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/HealthReport' } } } });

export function metaOpenApi(): { paths: Json; schemas: Json } {
  return {
    paths: {
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'Whether the app and its storage answer (no sign-in, no key)',
          security: [],
          responses: { '200': report('Healthy: every fatal dependency answered.'), '503': report('Unhealthy: `dependencies` says which failed and why.') },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This OpenAPI 3.1 document',
          responses: { '200': { description: 'The document.', content: { 'application/json': { schema: { type: 'object' } } } }, '401': { description: 'Function keys are on and the request has no valid key.' } },
        },
      },
      '/docs': {
        get: {
          operationId: 'getApiReference',
          summary: 'This document rendered for reading in a browser',
          description: 'Pass `?code=<function key>` when function keys are on; the page fetches /api/openapi.json with it.',
          security: [],
          responses: { '200': { description: 'The HTML page (Swagger UI, served by the app).', content: { 'text/html': { schema: { type: 'string' } } } }, ...problemResponses({}) },
        },
      },
      '/docs/{file}': {
        get: {
          operationId: 'getApiReferenceFile',
          summary: 'A static file of the rendered reference (Swagger UI bundle, stylesheet, icon)',
          security: [],
          parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', enum: ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'] } }],
          responses: {
            '200': { description: 'The file; gzip-encoded when the client accepts it.', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } }, 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
            ...problemResponses({ 404: 'The reference has no such file (FILE_NOT_FOUND).' }),
          },
        },
      },
    },
    schemas: { HealthReport: healthReport },
  };
}
