// The connection broker's part of the OpenAPI document: POST /pools/{pool}/sessions and GET /pools/{pool}/connect.
// Listed in openapi.ts's `openApiParts` with one line.
import { problemResponses } from './openapi-problems.js';

type Json = Record<string, unknown>;

const poolParam = { name: 'pool', in: 'path', required: true, schema: { type: 'string' }, description: 'Pool name (the policy row key).' };
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer' } } };
const endpoint = { type: ['object', 'null'], properties: { address: { type: 'string' }, port: { type: 'integer' } }, description: 'The load balancer frontend and this VM\'s inbound NAT port for the kind; null when not known.' };

const placement: Json = {
  type: 'object',
  required: ['pool', 'user', 'kind', 'outcome'],
  properties: {
    pool: { type: 'string' },
    user: { type: 'string' },
    kind: { type: 'string', enum: ['jupyter', 'ssh'] },
    outcome: { type: 'string', enum: ['placed', 'waiting'] },
    instanceId: { type: 'string', description: 'placed: the VM (VMSS instance id).' },
    by: { type: 'string', enum: ['affinity', 'reservation', 'depth-first', 'breadth-first'], description: 'placed: why this VM.' },
    ready: { type: 'boolean', description: 'placed: the VM runs now; otherwise it is starting and readyAt says when.' },
    readyAt: { type: 'string', format: 'date-time' },
    readyInSeconds: { type: 'integer', description: 'Real seconds until readyAt.' },
    endpoint,
    login: { type: ['string', 'null'], description: 'placed: your Linux account on every pool VM ("Alice.Smith@contoso.com" → "alice-smith"), for ssh -p PORT login@HOST; null when your sign-in name gives no valid one.' },
    connectUrl: { type: ['string', 'null'] },
    reservationExpiresAt: { type: ['string', 'null'], format: 'date-time', description: 'The seat is held until the session shows up or this time.' },
    position: { type: 'integer', description: 'waiting: 1 = next to get a seat.' },
    reason: { type: 'string', enum: ['no-free-seat', 'pool-at-maximum', 'scale-set-missing', 'scale-set-stuck', 'no-view'] },
    message: { type: 'string' },
    estimatedReadyAt: { type: ['string', 'null'], format: 'date-time', description: 'waiting: when a seat should exist; stored once per wait, it does not move on a later ask unless estimateMoved says why.' },
    estimatedWaitSeconds: { type: ['integer', 'null'] },
    estimateMoved: { type: ['string', 'null'], description: 'waiting: why estimatedReadyAt differs from the one promised at the last ask.' },
    busySince: { type: 'string', format: 'date-time', description: 'reason scale-set-stuck: since when the scale set has been busy with an operation.' },
    problem: { type: ['object', 'null'], description: 'The last evaluation failed: its error code and message, and the event\'s reason, as recorded in the event log.' },
  },
};

const NO_POOL = 'No such pool (POOL_NOT_FOUND).';
const CANNOT_SEAT = 'The pool cannot seat anyone: autoscale is off for it (POOL_DISABLED) or its policy is invalid (POLICY_INVALID).';
const STORAGE_ERROR = 'Table Storage returned an error (STORAGE_FAILED).';
const BUSY = 'Too many connects won the same seats at once (BROKER_BUSY), or storage is throttled or unavailable (STORAGE_THROTTLED, STORAGE_UNAVAILABLE); retry after Retry-After.';
const placementJson = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/SessionPlacement' } } } });

/** POST /sessions' 503: a problem, or (scale set not found) the waiting answer with reason scale-set-missing. */
function sessions503(): Json {
  const problem503 = problemResponses({ 503: `${BUSY} Also \`outcome: waiting\` with \`reason: scale-set-missing\` (the pool's scale set was not found) or \`scale-set-stuck\` (busy with an operation for too long) (application/json): nothing is promised.` })['503'] as { content: Json };
  return { ...problem503, content: { ...problem503.content, 'application/json': { schema: { $ref: '#/components/schemas/SessionPlacement' } } } };
}

/** The broker's part of the OpenAPI document: its two routes and the SessionPlacement schema. */
export function brokerOpenApi(): { paths: Json; schemas: Json } {
  return {
    paths: {
      '/pools/{pool}/sessions': {
        post: {
          operationId: 'createSession',
          summary: 'Ask the broker for a seat: the VM (back to your own VM first), its address and port, or your place in the queue',
          parameters: [poolParam],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { kind: { type: 'string', enum: ['jupyter', 'ssh'], default: 'jupyter' } }, additionalProperties: false } } } },
          responses: {
            200: placementJson('Placed; a seat is reserved (ready: false while the VM starts)'),
            202: { ...placementJson('No seat yet: your place in the queue and an estimate; capacity is being added. Ask again after Retry-After.'), headers: retryAfter },
            ...problemResponses({
              400: 'A malformed pool name, an unknown kind or field (VALIDATION_FAILED), or a body that is not JSON (INVALID_JSON).',
              401: true,
              404: NO_POOL,
              409: CANNOT_SEAT,
              413: 'The body is over 1 KiB (PAYLOAD_TOO_LARGE).',
              415: 'Content-Type is not application/json (UNSUPPORTED_MEDIA_TYPE).',
              502: STORAGE_ERROR,
            }),
            503: sessions503(),
          },
        },
      },
      '/pools/{pool}/connect': {
        get: {
          operationId: 'connectPool',
          summary: 'The link to bookmark: the broker places you and redirects to your VM (or connectUrl), else shows a page counting down in real seconds',
          parameters: [poolParam, { name: 'started', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'When the waiting page was first shown (real epoch milliseconds), carried by its refresh link; the page stops refreshing 15 minutes after it. Leave it out to start a new wait.' }],
          responses: {
            302: { description: 'Your VM runs; Location is its JupyterHub (NAT port) or the policy connectUrl' },
            200: { description: 'HTML page: placed on a starting VM, or waiting, or failed', content: { 'text/html': { schema: { type: 'string' } } } },
            ...problemResponses({ 400: 'A malformed pool name (VALIDATION_FAILED).', 401: true, 404: NO_POOL, 409: CANNOT_SEAT, 502: STORAGE_ERROR, 503: BUSY }),
          },
        },
      },
    },
    schemas: { SessionPlacement: placement },
  };
}
