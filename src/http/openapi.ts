// The OpenAPI 3.1 document of the app, generated from the zod schemas (one schema per concept) and composed of each
// area's part: the job paths here, the pool paths from ./openapi-pools.ts, the connection broker's from
// ./openapi-broker.ts, the dashboard's from ./openapi-dashboard.ts, the app's own from ./openapi-meta.ts.
// An area adds its routes in its own `openapi-<area>.ts` and one line to `openApiParts`.
import { z } from 'zod';
import { jobSpecSchema } from '../jobs/job-spec.js';
import { jobListQuerySchema, jobListSchema, jobViewSchema } from '../jobs/job-view.js';
import { brokerOpenApi } from './openapi-broker.js';
import { dashboardOpenApi } from './openapi-dashboard.js';
import { metaOpenApi } from './openapi-meta.js';
import { poolOpenApi } from './openapi-pools.js';
import { identitySecurity, identitySecuritySchemes, withIdentityResponses } from './openapi-identity.js';
import { problemResponses, problemSchema } from './openapi-problems.js';
import { jobExtraPaths } from './openapi-job-extras.js';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

function queryParameters(): Json[] {
  const s = schema(jobListQuerySchema, 'input') as { properties: Record<string, Json> };
  return Object.entries(s.properties).map(([name, p]) => ({ name, in: 'query', required: false, schema: p, description: p.description }));
}

const STORAGE_BUSY = 'Table Storage or the queue is busy or unreachable (STORAGE_THROTTLED, STORAGE_UNAVAILABLE); retry after `Retry-After` seconds.';

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
            headers: { Location: { description: 'The job\'s URL.', schema: { type: 'string' } } },
            content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' }, location: { type: 'string' }, job: { $ref: '#/components/schemas/Job' } } } } },
          },
          ...problemResponses({
            400: 'Invalid field(s) or body (VALIDATION_FAILED, INVALID_JSON); `errors` names each.',
            401: true,
            413: 'Body over 64 KiB (PAYLOAD_TOO_LARGE).',
            415: 'Content-Type is not application/json (UNSUPPORTED_MEDIA_TYPE).',
            422: 'Idempotency-Key reused with another body (IDEMPOTENCY_KEY_REUSED), or a dependsOn entry that is not yours, is missing or already failed (DEPENDENCY_INVALID), or `pool` names no enabled Batch pool (ROUTE_UNKNOWN_POOL), or no node of the pinned pool (or, for `auto`, of any pool of the job\'s kind) has the GPUs, vCPUs or memory it asks for (ROUTE_IMPOSSIBLE; `errors` names the `resources` field, `detail` what the nodes have) or no pool of its kind is configured while the other kind is (ROUTE_NO_POOL). Checked when the Batch pool facts can be read; otherwise the job is accepted and, if it does not fit, fails at dispatch with the same code.',
            503: STORAGE_BUSY,
          }),
        },
      },
      get: {
        operationId: 'listJobs',
        summary: 'List jobs, newest first (your own; admins: anyone\'s)',
        parameters: queryParameters(),
        responses: {
          '200': { description: 'A page of jobs.', content: json('JobList') },
          ...problemResponses({ 400: 'Invalid query or continuationToken (VALIDATION_FAILED, PAGE_TOKEN_INVALID).', 401: true, 403: 'user= names someone else and the caller is not an admin (LIST_FORBIDDEN).', 503: STORAGE_BUSY }),
        },
      },
    },
    '/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'One job: its state, spec, Batch task and outcome',
        parameters: [idParam],
        responses: { '200': { description: 'The job.', content: json('Job') }, ...problemResponses({ 401: true, 404: 'No such job, or not yours (JOB_NOT_FOUND).', 503: STORAGE_BUSY }) },
      },
    },
    '/jobs/{id}/cancel': {
      post: {
        operationId: 'cancelJob',
        summary: 'Cancel a job that has not finished',
        parameters: [idParam],
        responses: {
          '200': { description: 'Cancelled.', content: json('Job') },
          '202': { description: 'Cancelling; the task is being stopped.', content: json('Job') },
          ...problemResponses({
            401: true,
            404: 'No such job, or not yours (JOB_NOT_FOUND).',
            409: 'The job already succeeded or failed (JOB_FINAL), or changed meanwhile (CONCURRENT_UPDATE).',
            503: 'Storage or Batch is busy or unreachable; retry after `Retry-After` seconds.',
          }),
        },
      },
    },
  };
}

/** One area's share of the document: its paths and the component schemas they refer to. */
export interface OpenApiPart {
  paths?: Json;
  schemas?: Json;
}

function jobsOpenApi(): OpenApiPart {
  return {
    paths: { ...jobPaths(), ...jobExtraPaths() },
    schemas: { JobSpec: schema(jobSpecSchema, 'input'), Job: schema(jobViewSchema), JobList: schema(jobListSchema) },
  };
}

/** Every area's part; an area adds its `openapi-<area>.ts` here with one line. */
export function openApiParts(): OpenApiPart[] {
  return [
    jobsOpenApi(),
    poolOpenApi(),
    brokerOpenApi(),
    dashboardOpenApi(),
    metaOpenApi(),
  ];
}

/** The whole document: the parts' paths and schemas, the Problem schema and the function-key security scheme. */
export function openApiDocument(parts: OpenApiPart[] = openApiParts()): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'dsvm-pool',
      version: '0.1.0',
      description: 'Autoscaled Data Science VM pool and Batch job service. Every error is `application/problem+json` whose `type` links to the README section on its `code`.',
      license: { name: 'UNLICENSED (private package; see package.json)' },
    },
    servers: [{ url: '/api' }],
    security: identitySecurity,
    paths: withIdentityResponses(Object.assign({}, ...parts.map((p) => p.paths ?? {})) as Json),
    components: {
      securitySchemes: { functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'Function key (or `?code=`); a second gate, never identity.' }, ...identitySecuritySchemes },
      schemas: Object.assign({ Problem: problemSchema }, ...parts.map((p) => p.schemas ?? {})) as Json,
    },
  };
}
