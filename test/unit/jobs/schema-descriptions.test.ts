// The OpenAPI document is generated from these schemas (src/http/openapi.ts: z.toJSONSchema, draft 2020-12): a
// field a schema describes must reach the document with words, never an empty description.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { batchPolicySchema } from '../../../src/jobs/batch-policy.js';
import { jobLogsQuerySchema, jobLogsSchema, poolUsageSchema } from '../../../src/jobs/job-logs-view.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { jobListQuerySchema, jobListSchema, jobViewSchema } from '../../../src/jobs/job-view.js';

/** Every `description` in a JSON Schema, by the path of the property it sits on. */
function descriptions(node: unknown, path = '', out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) node.forEach((n, i) => descriptions(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description') out.push([path || '(root)', v]);
      else descriptions(v, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

const schemas: [string, z.ZodType, 'input' | 'output', number][] = [
  // [name, schema, io, how many fields it describes]
  ['job spec', jobSpecSchema, 'input', 24],
  ['batch policy', batchPolicySchema, 'input', 16],
  ['job view', jobViewSchema, 'output', 35],
  ['job list query', jobListQuerySchema, 'input', 2],
  ['job list', jobListSchema, 'output', 36],
  ['job logs query', jobLogsQuerySchema, 'input', 4],
  ['job logs page', jobLogsSchema, 'output', 4],
  ['pool usage', poolUsageSchema, 'output', 5],
];

describe('OpenAPI descriptions of the jobs schemas', () => {
  it.each(schemas)('%s: every described field says something', (_name, schema, io, described) => {
    const found = descriptions(z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }));
    expect(found.length).toBe(described);
    const empty = found.filter(([, d]) => typeof d !== 'string' || d.trim().length < 10).map(([p]) => p);
    expect(empty).toEqual([]);
  });
});
