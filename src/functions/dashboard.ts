// The admin's dashboard: the page (GET /api/ui), its built assets, the one view it polls (GET /api/ui/view) and a
// pool's timeline (GET /api/pools/{pool}/timeline). Thin: resolve the caller, call the dashboard service, map.
//
// authLevel is anonymous because a browser holds no function key; every route but the static assets still needs a
// caller (callerOf: an Entra bearer token, or the App Service authentication session a browser signs in to).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { isTimelineRange } from '../autoscale/timeline.js';
import { callerOf, type Caller } from '../http/identity.js';
import { poolNameProblem } from '../http/pool-name.js';
import { poolsProblem } from '../http/pools-problem.js';
import { problem } from '../http/problem.js';
import { signInRedirect } from '../http/sign-in.js';
import { dashboardService } from '../services/dashboard.js';
import { loadWebAssets, type WebAssets } from '../web/assets.js';

/** Where the page lives, and where App Service authentication sends a browser that is not signed in. */
export const DASHBOARD_PATH = '/api/ui';

let assets: WebAssets | undefined;
const web = () => (assets ??= loadWebAssets());

type Handler = (request: HttpRequest, caller: Caller) => Promise<HttpResponseInit>;
function withCaller(handler: Handler) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const who = await callerOf(request);
    if (!who.ok) return who.response;
    try {
      return await handler(request, who.caller);
    } catch (error) {
      context.warn(`dashboard: ${(error as Error).message}`);
      return poolsProblem(error);
    }
  };
}

app.http('dashboard-page', {
  methods: ['GET'],
  route: 'ui',
  authLevel: 'anonymous',
  handler: async (request): Promise<HttpResponseInit> => {
    const who = await callerOf(request);
    // A browser without credentials goes to sign-in (as App Service authentication's RedirectToLoginPage does in
    // Azure); refused credentials and a missing app role get their problem+json. The page is for browsers only.
    const signIn = who.ok ? undefined : signInRedirect(request, who.response.status, DASHBOARD_PATH, false);
    if (signIn) return signIn;
    if (!who.ok) return who.response;
    const page = web().page();
    if (!page) return problem({ status: 503, code: 'DASHBOARD_NOT_BUILT', title: 'The dashboard is not built', detail: 'dist/web/index.html is missing: run `npm run build` (it runs vite build) and deploy dist/web with the app.' });
    return { status: 200, headers: { 'content-type': page.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }, body: page.body };
  },
});

app.http('dashboard-asset', {
  methods: ['GET'],
  route: 'ui/assets/{name}',
  authLevel: 'anonymous',
  handler: async (request): Promise<HttpResponseInit> => {
    const name = request.params.name ?? '';
    const asset = web().asset(name);
    if (!asset) return problem({ status: 404, code: 'FILE_NOT_FOUND', title: 'No such file', detail: `The dashboard has no built file "${name}"; open ${DASHBOARD_PATH}.` });
    // Hashed file names: a new build gets new names, so browsers may keep these for a year.
    return { status: 200, headers: { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' }, body: asset.body };
  },
});

app.http('dashboard-view', {
  methods: ['GET'],
  route: 'ui/view',
  authLevel: 'anonymous',
  handler: withCaller(async (_r, caller) => ({ status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: await dashboardService().view(caller) })),
});

app.http('pools-timeline', {
  methods: ['GET'],
  route: 'pools/{pool}/timeline',
  authLevel: 'anonymous',
  handler: withCaller(async (request) => {
    const pool = request.params.pool ?? '';
    const badName = poolNameProblem(pool);
    if (badName) return badName;
    const range = request.query.get('range') ?? '24h';
    if (!isTimelineRange(range)) {
      return problem({ status: 400, code: 'VALIDATION_FAILED', title: 'Invalid range', detail: 'range must be 24h or 7d.', errors: [{ field: 'range', message: 'must be 24h or 7d' }] });
    }
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: await dashboardService().timeline(pool, range) };
  }),
});
