// The dashboard's paths of the OpenAPI document (merged by ./openapi.ts): the page, the view it polls and a pool's
// timeline. These routes are anonymous at the function-key level (a browser has no key) but need a signed-in caller.
type Json = Record<string, unknown>;

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const noKey = { security: [] as unknown[] };
const at = { type: 'string', format: 'date-time' };
const periodCost = { type: 'object', properties: { from: at, vmHours: { type: 'number' }, cost: { type: 'number', description: 'USD' } } };

const timeline: Json = {
  type: 'object',
  description: 'Sessions (demand) against seats of running or starting VMs (capacity), with the scale actions and their reasons.',
  properties: {
    pool: { type: 'string' },
    range: { type: 'string', enum: ['24h', '7d'] },
    from: at,
    to: at,
    intervalMinutes: { type: 'integer', description: '5 for 24h, 60 for 7d.' },
    seatsPerInstance: { type: 'integer' },
    demand: { type: 'array', items: { type: 'object', properties: { at, sessions: { type: 'integer', description: "Sum over the pool's VMs of each VM's peak sessions in the interval." } } } },
    capacity: { type: 'array', items: { type: 'object', properties: { at, seats: { type: 'integer' }, activeVms: { type: 'integer' } }, description: 'A step: from `at` on.' } },
    actions: { type: 'array', items: { type: 'object', properties: { at, direction: { type: 'string', enum: ['out', 'in'] }, outcome: { type: 'string' }, reason: { type: 'string' }, steps: { type: 'array', items: { type: 'string' } } } } },
  },
  required: ['pool', 'range', 'from', 'to', 'intervalMinutes', 'seatsPerInstance', 'demand', 'capacity', 'actions'],
};

const dashboardView: Json = {
  type: 'object',
  description: 'Everything the dashboard shows, for the caller: admins see everything; users see the pools (without people) and their own jobs.',
  properties: {
    caller: { type: 'object', properties: { user: { type: 'string' }, isAdmin: { type: 'boolean' } } },
    at,
    pools: { type: 'array', items: { $ref: '#/components/schemas/PoolStatus' }, description: "The same items as GET /pools (users: other people's names removed)." },
    jobs: { type: 'array', items: { $ref: '#/components/schemas/Job' } },
    decisions: { type: 'array', description: 'Admins only.', items: { type: 'object', properties: { pool: { type: 'string' }, events: { type: 'array', items: { $ref: '#/components/schemas/ScaleEvent' } } } } },
    money: {
      type: 'object',
      description: 'Admins only. Estimates from DSVMPOOL_POOL_PRICES.',
      properties: {
        pools: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              pool: { type: 'string' },
              price: { type: 'object', properties: { vmSize: { type: 'string' }, vmPerHour: { type: 'number' } } },
              today: periodCost,
              week: periodCost,
              month: periodCost,
              alwaysOn: { type: 'object', properties: { vms: { type: 'integer' }, today: { type: 'number' }, week: { type: 'number' }, month: { type: 'number' } } },
            },
          },
        },
        gpuHours: { type: 'array', items: { type: 'object', properties: { pool: { type: 'string' }, user: { type: 'string' }, gpuHours: { type: 'number' }, jobs: { type: 'integer' } } } },
      },
    },
  },
  required: ['caller', 'at', 'pools', 'jobs'],
};

export function dashboardOpenApi(): { paths: Json; schemas: Json } {
  return {
    paths: {
      '/ui': {
        get: {
          operationId: 'getDashboard',
          summary: 'The dashboard page (HTML)',
          ...noKey,
          responses: {
            '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
            '302': { description: 'Not signed in: to /.auth/login/aad, back to the page afterwards.' },
            '503': problem('The page was not built (DASHBOARD_NOT_BUILT).'),
          },
        },
      },
      '/ui/view': {
        get: {
          operationId: 'getDashboardView',
          summary: 'What the dashboard shows, for the caller',
          ...noKey,
          responses: {
            '200': { description: 'The view.', content: { 'application/json': { schema: { $ref: '#/components/schemas/DashboardView' } } } },
            '401': problem('No signed-in caller.'),
            '502': problem('Azure returned an error.'),
            '503': problem('Azure is throttling or unavailable; retry after Retry-After.'),
          },
        },
      },
      '/pools/{pool}/timeline': {
        get: {
          operationId: 'getPoolTimeline',
          summary: "A pool's sessions against seats over 24 hours or 7 days, with scale actions",
          ...noKey,
          parameters: [
            { name: 'pool', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'range', in: 'query', required: false, schema: { type: 'string', enum: ['24h', '7d'], default: '24h' } },
          ],
          responses: {
            '200': { description: 'The timeline.', content: { 'application/json': { schema: { $ref: '#/components/schemas/PoolTimeline' } } } },
            '400': problem('range is not 24h or 7d.'),
            '401': problem('No signed-in caller.'),
            '404': problem('No such pool.'),
            '409': problem('The pool policy is invalid.'),
            '502': problem('Azure returned an error.'),
            '503': problem('Azure is throttling or unavailable; retry after Retry-After.'),
          },
        },
      },
    },
    schemas: { PoolTimeline: timeline, DashboardView: dashboardView },
  };
}
