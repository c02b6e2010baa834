// The OpenAPI 3.1 document of the app, generated from the zod schemas (one schema per concept), merged with the
// pool paths that autoscale exports from ./openapi-pools.ts.
import { z } from 'zod';
import { jobSpecSchema } from '../jobs/job-spec.js';
import { jobListQuerySchema, jobListSchema, jobViewSchema } from '../jobs/job-view.js';
import { dashboardOpenApi } from './openapi-dashboard.js';
import { poolOpenApi } from './openapi-pools.js';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;

const problemSchema: Json = {
  type: 'object',
  description: 'RFC 9457 problem details. `errors` names each invalid field.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable error code, e.g. JOB_NOT_FOUND, VALIDATION_FAILED.' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

function queryParameters(): Json[] {
  const s = schema(jobListQuerySchema, 'input') as { properties: Record<string, Json> };
  return Object.entries(s.properties).map(([name, p]) => ({ name, in: 'query', required: false, schema: p, description: p.description }));
}

export function jobPaths(): Json {
  return {
    '/jobs': {
      post: {
        operationId: 'submitJob',
        summary: 'Submit a job',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 256 }, description: 'Same key + same body → the same job; same key + another body → 422.' }],
        requestBody: { required: true, content: json('JobSpec') },
        responses: {
          '202': {
            description: 'Accepted; Location names the job.',
            headers: { Location: { schema: { type: 'string' } } },
            content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' }, location: { type: 'string' }, job: { $ref: '#/components/schemas/Job' } } } } },
          },
          '400': problemResponse('Invalid field(s); `errors` names each.'),
          '401': problemResponse('No caller identity.'),
          '413': problemResponse('Body over 64 KiB.'),
          '415': problemResponse('Content-Type is not application/json.'),
          '422': problemResponse('Idempotency-Key reused with another body.'),
        },
      },
      get: {
        operationId: 'listJobs',
        summary: 'List jobs, newest first (your own; admins: anyone\'s)',
        parameters: queryParameters(),
        responses: { '200': { description: 'A page of jobs.', content: json('JobList') }, '400': problemResponse('Invalid query.'), '403': problemResponse('user= names someone else.') },
      },
    },
    '/jobs/{id}': {
      get: {
        operationId: 'getJob',
        parameters: [idParam],
        responses: { '200': { description: 'The job.', content: json('Job') }, '404': problemResponse('No such job, or not yours.') },
      },
    },
    '/jobs/{id}/cancel': {
      post: {
        operationId: 'cancelJob',
        parameters: [idParam],
        responses: {
          '200': { description: 'Cancelled.', content: json('Job') },
          '202': { description: 'Cancelling; the task is being stopped.', content: json('Job') },
          '404': problemResponse('No such job, or not yours.'),
          '409': problemResponse('The job already succeeded or failed.'),
        },
      },
    },
  };
}

export interface OpenApiPart {
  paths?: Json;
  schemas?: Json;
}

/** The whole document: the job paths plus the pool paths (autoscale's part), unless another part is given. */
export function openApiDocument(pools: OpenApiPart = poolOpenApi()): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'dsvm-pool', version: '0.1.0', description: 'Autoscaled Data Science VM pool and Batch job service.' },
    servers: [{ url: '/api' }],
    security: [{ functionKey: [] }],
    paths: { ...jobPaths(), ...(pools.paths ?? {}), ...dashboardOpenApi().paths },
    components: {
      securitySchemes: { functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' } },
      schemas: {
        JobSpec: schema(jobSpecSchema, 'input'),
        Job: schema(jobViewSchema),
        JobList: schema(jobListSchema),
        Problem: problemSchema,
        ...(pools.schemas ?? {}),
        ...dashboardOpenApi().schemas,
      },
    },
  };
}
