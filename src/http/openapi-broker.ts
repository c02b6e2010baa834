// The connection broker's paths of the OpenAPI document: POST /pools/{pool}/sessions and GET /pools/{pool}/connect.
// Merged into the pool paths by openapi.ts with one call.
type Json = Record<string, unknown>;

const poolParam = { name: 'pool', in: 'path', required: true, schema: { type: 'string' }, description: 'Pool name (the policy row key).' };
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
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
    connectUrl: { type: ['string', 'null'] },
    reservationExpiresAt: { type: ['string', 'null'], format: 'date-time', description: 'The seat is held until the session shows up or this time.' },
    position: { type: 'integer', description: 'waiting: 1 = next to get a seat.' },
    reason: { type: 'string', enum: ['no-free-seat', 'pool-at-maximum', 'scale-set-missing', 'no-view'] },
    message: { type: 'string' },
    estimatedReadyAt: { type: ['string', 'null'], format: 'date-time' },
    estimatedWaitSeconds: { type: ['integer', 'null'] },
    problem: { type: ['object', 'null'], description: 'The last evaluation failed: its error code and message, as recorded in the event log.' },
  },
};

export function brokerOpenApi(): { paths: Json; schemas: Json } {
  const common = { 401: problem('No caller identity'), 404: problem('No such pool'), 409: problem('Autoscale is off for the pool, or its policy is invalid'), 502: problem('Azure answered with an error while adding capacity'), 503: problem('Too many connects at once, or Azure throttled/unavailable; see Retry-After') };
  return {
    paths: {
      '/pools/{pool}/sessions': {
        post: {
          operationId: 'createSession',
          summary: 'Ask the broker for a seat: the VM (back to your own VM first), its address and port, or your place in the queue',
          parameters: [poolParam],
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { kind: { type: 'string', enum: ['jupyter', 'ssh'], default: 'jupyter' } }, additionalProperties: false } } } },
          responses: {
            200: { description: 'Placed; a seat is reserved (ready: false while the VM starts)', content: { 'application/json': { schema: { $ref: '#/components/schemas/SessionPlacement' } } } },
            202: { description: 'No seat yet: your place in the queue and an estimate; capacity is being added. Ask again after Retry-After.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SessionPlacement' } } } },
            400: problem('Invalid body (kind)'),
            413: problem('Body too large'),
            415: problem('Not JSON'),
            ...common,
          },
        },
      },
      '/pools/{pool}/connect': {
        get: {
          operationId: 'connectPool',
          summary: 'The link to bookmark: the broker places you and redirects to your VM (or connectUrl), else shows a page counting down in real seconds',
          parameters: [poolParam, { name: 'attempt', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'Refresh count; the page stops refreshing after 120.' }],
          responses: { 302: { description: 'Your VM runs; Location is its JupyterHub (NAT port) or the policy connectUrl' }, 200: { description: 'HTML page: placed on a starting VM, or waiting, or failed', content: { 'text/html': {} } }, ...common },
        },
      },
    },
    schemas: { SessionPlacement: placement },
  };
}

/** The pool part of the document with the broker's paths laid over it. */
export function withBrokerOpenApi(part: { paths: Json; schemas: Json }): { paths: Json; schemas: Json } {
  const b = brokerOpenApi();
  return { paths: { ...part.paths, ...b.paths }, schemas: { ...part.schemas, ...b.schemas } };
}
