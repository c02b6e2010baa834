// The pool paths of the OpenAPI document (merged by ./openapi.ts), with the policy schema generated from the one zod
// schema that validates it.
import { z } from 'zod';
import { policySchema } from '../policies/policy.js';
import { problemResponses } from './openapi-problems.js';

type Json = Record<string, unknown>;

const poolParam = { name: 'pool', in: 'path', required: true, schema: { type: 'string' }, description: 'Pool name (the policy row key).' };
// Azure faults while observing or acting do not fail these routes: the pool status carries them in `error`, a wake
// answers 202 with the evaluation's outcome, and the event records them. So no pool route answers 502 or 503.
const NO_POOL = 'No such pool (POOL_NOT_FOUND).';
const CANNOT_WAKE = 'The pool cannot start a VM now: its policy is invalid (POLICY_INVALID), autoscale is off for it (POOL_DISABLED), or another evaluation holds it (POOL_BUSY).';
const NOT_ADMIN = 'The caller lacks the admin app role (FORBIDDEN).';
// 202 even when the evaluation failed (or another one holds the pool and the latest recorded one failed): the wake is
// recorded; problem and Retry-After say why no VM is on its way.
const wakeAccepted = {
  description: 'Accepted; expectedReadyAt says when a VM should run. When the evaluation failed, or another evaluation holds the pool and the latest recorded one failed, expectedReadyAt is null, problem names the error (e.g. ARM_THROTTLED) and Retry-After is 10 s; while another evaluation holds the pool and nothing recorded says it is bringing the pool up, Retry-After is 5 s and no time is promised.',
  headers: { 'Retry-After': { description: 'Seconds before asking again can tell more; absent while a VM runs or is on its way.', schema: { type: 'integer' } } },
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          pool: { type: 'string' },
          ready: { type: 'boolean' },
          readyInstanceId: { type: 'string' },
          expectedReadyAt: { type: ['string', 'null'], format: 'date-time' },
          status: { type: 'string', description: 'What is happening, in words.' },
          problem: {
            type: ['object', 'null'],
            description: 'Why no VM is on its way: the error of this wake\'s evaluation, or of the pool\'s latest recorded one; at is when it ran.',
            properties: { code: { type: 'string' }, message: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
          },
        },
      },
    },
  },
};
const json = (ref: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

const poolStatus: Json = {
  type: 'object',
  description: 'The scale set as seen now, what an evaluation would do now and why, warnings, and the last recorded event.',
  properties: {
    pool: { type: 'string' },
    target: { type: 'string' },
    enabled: { type: 'boolean' },
    dryRun: { type: 'boolean' },
    capacity: { type: 'integer' },
    provisioningState: { type: 'string' },
    instances: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          instanceId: { type: 'string' },
          state: { type: 'string', enum: ['creating', 'starting', 'running', 'stopping', 'stopped', 'deallocating', 'deallocated', 'deleting', 'failed', 'unknown'] },
          sessions: { type: ['integer', 'null'], description: 'Latest session count; null when the VM posted no data.' },
          maxSessionsInWindow: { type: ['integer', 'null'] },
          protectFromScaleIn: { type: 'boolean' },
        },
      },
    },
    now: { type: 'object', properties: { direction: { type: 'string', enum: ['out', 'in', 'none'] }, reason: { type: 'string' }, targetActive: { type: 'integer' } } },
    warnings: { type: 'array', items: { type: 'string' } },
    lastEvent: { $ref: '#/components/schemas/ScaleEvent' },
  },
};

const scaleEvent: Json = {
  type: 'object',
  description: 'One evaluation that acted, wanted to act or failed; a wake request; or an invalid policy row.',
  properties: {
    pool: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    kind: { type: 'string', enum: ['evaluation', 'wake', 'policy-invalid'] },
    trigger: { type: 'string', enum: ['timer', 'wake', 'connect'] },
    outcome: { type: 'string', enum: ['done', 'dry-run', 'failed', 'requested', 'skipped'] },
    direction: { type: 'string', enum: ['out', 'in', 'none'] },
    reason: { type: 'string' },
    observed: { type: 'object' },
    plan: { type: 'object' },
    steps: { type: 'array', items: { type: 'string' } },
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, step: { type: 'string' } } },
    problems: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } } },
    pending: { type: 'array', items: { type: 'string' }, description: 'Operations Azure accepted that were still running when the evaluation ended, e.g. "deallocate 0,1".' },
    settled: { type: 'array', items: { type: 'string' }, description: 'How operations an earlier evaluation left running ended, as observed, e.g. "deallocate 0: VM 0 deallocated".' },
    durationMs: { type: 'integer' },
  },
};

export function poolOpenApi(): { paths: Json; schemas: Json } {
  return {
    paths: {
      '/pools': { get: { operationId: 'listPools', summary: 'Every VM scale set pool with its status', responses: { 200: { description: 'Pools', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/PoolStatus' } } } } } } }, ...problemResponses({ 401: true }) } } },
      '/pools/{pool}': { get: { operationId: 'getPool', summary: 'One pool: capacity, instances, sessions, protection, decision, warnings', parameters: [poolParam], responses: { 200: json('PoolStatus', 'Pool status'), ...problemResponses({ 400: 'A malformed pool name (VALIDATION_FAILED).', 401: true, 404: NO_POOL }) } } },
      '/pools/{pool}/events': {
        get: {
          operationId: 'listPoolEvents',
          summary: 'Scale events, newest first, paged',
          parameters: [poolParam, { name: 'top', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 } }, { name: 'continuationToken', in: 'query', schema: { type: 'string' } }],
          responses: { 200: { description: 'A page of events', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ScaleEvent' } }, continuationToken: { type: 'string' } } } } } }, ...problemResponses({ 400: 'top is not a whole number from 1 to 200, a continuationToken this listing did not return (PAGE_TOKEN_INVALID), or a malformed pool name (VALIDATION_FAILED).', 401: true, 404: 'No pool of that name has a policy or any scale event (POOL_NOT_FOUND); a pool whose policy was deleted keeps its events.' }) },
        },
      },
      '/pools/{pool}/wake': {
        post: {
          operationId: 'wakePool',
          summary: 'Bring a VM up now (holds one for wakeHoldMinutes)',
          parameters: [poolParam],
          responses: { 202: wakeAccepted, ...problemResponses({ 400: 'A malformed pool name (VALIDATION_FAILED).', 401: true, 404: NO_POOL, 409: CANNOT_WAKE }) },
        },
      },
      '/pools/{pool}/policy': {
        get: { operationId: 'getPolicy', summary: 'The pool policy (admin)', parameters: [poolParam], responses: { 200: json('Policy', 'The policy with every default filled in'), ...problemResponses({ 400: 'A malformed pool name (VALIDATION_FAILED).', 401: true, 403: NOT_ADMIN, 404: 'The pool has no policy (POLICY_NOT_FOUND).' }) } },
        put: {
          operationId: 'putPolicy',
          summary: 'Validate and replace the pool policy (admin); nothing is written when a field is invalid',
          parameters: [poolParam],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Policy' } } } },
          responses: { 200: json('Policy', 'Stored'), ...problemResponses({ 400: 'Each invalid field is named in `errors` (VALIDATION_FAILED), or the body is not JSON (INVALID_JSON).', 401: true, 403: NOT_ADMIN, 409: 'Another enabled pool already manages the same scale set (POLICY_CONFLICT).', 413: 'The policy is over 32 KiB (PAYLOAD_TOO_LARGE).', 415: 'Content-Type is not application/json (UNSUPPORTED_MEDIA_TYPE).' }) },
        },
      },
    },
    schemas: {
      Policy: z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json,
      PoolStatus: poolStatus,
      ScaleEvent: scaleEvent,
    },
  };
}
