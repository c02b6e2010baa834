// OpenAPI paths of the job logs and per-user pool usage routes (issue 13), generated from their schemas; merged
// into the document by ./openapi.ts.
import { z } from 'zod';
import { jobLogsQuerySchema, jobLogsSchema, poolUsageSchema } from '../jobs/job-logs-view.js';
import { problemResponses } from './openapi-problems.js';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;

function queryParameters(s: z.ZodType): Json[] {
  const props = (schema(s, 'input') as { properties: Record<string, Json> }).properties;
  return Object.entries(props).map(([name, p]) => ({ name, in: 'query', required: false, schema: p, description: p.description }));
}

export function jobExtraPaths(): Json {
  return {
    '/jobs/{id}/logs': {
      get: {
        operationId: 'getJobLogs',
        summary: "A page of a job's stdout or stderr (read from the task's files through Batch), while it runs and after",
        description: 'Owner and admins only. Page by byte offset: pass nextOffset as offset until complete is true. Array jobs take index.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...queryParameters(jobLogsQuerySchema)],
        responses: {
          '200': { description: 'A page of the log.', content: { 'application/json': { schema: schema(jobLogsSchema) } } },
          ...problemResponses({
            400: 'Invalid query (stream, offset, length, index); `errors` names the field.',
            401: true,
            404: 'No such job, or not yours.',
            429: 'Batch is throttling; retry after Retry-After.',
            503: 'Batch or storage unavailable; retry after Retry-After.',
          }),
        },
      },
    },
    '/pools/{pool}/usage': {
      get: {
        operationId: 'getPoolUsage',
        summary: "Each user's use of a Batch pool (GPUs, tasks, queued and held jobs), as of the last sync tick",
        parameters: [{ name: 'pool', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Per-user usage, largest first.', content: { 'application/json': { schema: schema(poolUsageSchema) } } },
          ...problemResponses({ 400: 'The pool name is not a pool name (VALIDATION_FAILED).', 401: true, 403: 'Admins only (FORBIDDEN).', 404: 'No Batch pool of that name: no batch policy and no usage recorded (POOL_NOT_FOUND); VM scale set pools have none.', 503: 'Storage unavailable; retry after Retry-After.' }),
        },
      },
    },
  };
}
