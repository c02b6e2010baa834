// The dashboard's part of the OpenAPI document (wired in by ./openapi.ts): the page, its built files, the view it
// polls and a pool's timeline. No function key (a browser has none): the page, view and timeline need a caller (an
// Entra bearer token or an App Service authentication session; ./openapi-identity.ts adds their 401/403/503), the
// built files are anonymous.
import { problemResponses } from './openapi-problems.js';

type Json = Record<string, unknown>;

/** A caller without a function key: an Entra bearer token or a browser session. */
const callerNoKey = { security: [{ entraBearer: [] }, { appServiceSession: [] }] };
const BUSY = 'Storage or Azure is busy or unreachable, or the tenant\'s signing keys cannot be read now (ISSUER_UNAVAILABLE); retry after `Retry-After` seconds.';
const at = { type: 'string', format: 'date-time' };
const periodCost = { type: 'object', properties: { from: at, vmHours: { type: 'number' }, cost: { type: 'number', description: 'Estimated cost in US dollars.' } } };

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
          description: 'A browser without credentials is sent to sign in (302); a token or principal that is refused gets 401.',
          ...callerNoKey,
          responses: {
            '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
            '302': { description: 'No credentials: to /.auth/login/aad, back to the page afterwards.', headers: { Location: { description: 'The sign-in URL.', schema: { type: 'string' } } } },
            ...problemResponses({ 401: true, 503: 'The page was not built (DASHBOARD_NOT_BUILT), or the tenant\'s signing keys cannot be read now (ISSUER_UNAVAILABLE); retry after `Retry-After` seconds.' }),
          },
        },
      },
      '/ui/assets/{name}': {
        get: {
          operationId: 'getDashboardAsset',
          summary: "A built file of the dashboard page (script, stylesheet, image; hashed names, cached for a year)",
          security: [],
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' }, description: 'A file name the build produced, e.g. index-3f9a1c2b.js.' }],
          responses: {
            '200': { description: 'The file.', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } }, 'image/svg+xml': { schema: { type: 'string' } }, 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
            ...problemResponses({ 404: 'The build has no such file (FILE_NOT_FOUND).' }),
          },
        },
      },
      '/ui/view': {
        get: {
          operationId: 'getDashboardView',
          summary: 'What the dashboard shows, for the caller',
          ...callerNoKey,
          responses: {
            '200': { description: 'The view.', content: { 'application/json': { schema: { $ref: '#/components/schemas/DashboardView' } } } },
            ...problemResponses({ 401: true, 502: true, 503: BUSY }),
          },
        },
      },
      '/pools/{pool}/timeline': {
        get: {
          operationId: 'getPoolTimeline',
          summary: "A pool's sessions against seats over 24 hours or 7 days, with scale actions",
          ...callerNoKey,
          parameters: [
            { name: 'pool', in: 'path', required: true, schema: { type: 'string' }, description: 'Pool name (the policy row key).' },
            { name: 'range', in: 'query', required: false, schema: { type: 'string', enum: ['24h', '7d'], default: '24h' } },
          ],
          responses: {
            '200': { description: 'The timeline.', content: { 'application/json': { schema: { $ref: '#/components/schemas/PoolTimeline' } } } },
            ...problemResponses({
              400: 'range is not 24h or 7d, or a malformed pool name (VALIDATION_FAILED); `errors` names the field.',
              401: true,
              404: 'No such pool (POOL_NOT_FOUND).',
              409: 'The pool policy is invalid (POLICY_INVALID).',
              502: true,
              503: BUSY,
            }),
          },
        },
      },
    },
    schemas: { PoolTimeline: timeline, DashboardView: dashboardView },
  };
}
