// Pool status, events, wake and the bookmarkable connect link. Thin: parse, call autoscale, map the result.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { brokerProblem } from '../http/broker-answer.js';
import { callerOf, type Caller } from '../http/identity.js';
import { connectPage, startedAtOf } from '../http/connect-page.js';
import { redirectTarget } from '../http/connect-redirect.js';
import { signInRedirect } from '../http/sign-in.js';
import { poolNameProblem } from '../http/pool-name.js';
import { problem } from '../http/problem.js';
import { isTablePageToken } from '../http/table-page-token.js';
import { AutoscaleError } from '../autoscale/errors.js';
import { autoscaleService, brokerServiceOf } from '../services/autoscale.js';

type Handler = (request: HttpRequest, who: Caller, pool: string) => Promise<HttpResponseInit>;

/** Path and query of a request's URL (a function key in `?code=` comes back with the browser). */
const returnPath = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

function withCaller(handler: Handler, browserPage = false) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const who = await callerOf(request);
    // The bookmarkable connect link, opened by a browser not signed in yet: sign in, then come back to it.
    if (!who.ok) return (browserPage ? signInRedirect(request, who.response.status, returnPath(request.url)) : undefined) ?? who.response;
    const badName = request.params.pool === undefined ? undefined : poolNameProblem(request.params.pool);
    if (badName) return badName;
    try {
      return await handler(request, who.caller, request.params.pool ?? '');
    } catch (error) {
      context.warn(`pools API: ${(error as Error).message}`);
      return brokerProblem(error);
    }
  };
}

const route = (name: string, methods: ('GET' | 'POST')[], path: string, handler: Handler, browserPage = false) =>
  app.http(name, { methods, route: path, authLevel: 'function', handler: withCaller(handler, browserPage) });

route('pools-list', ['GET'], 'pools', async () => ({ status: 200, jsonBody: { items: await autoscaleService().list() } }));

route('pools-get', ['GET'], 'pools/{pool}', async (_r, _w, pool) => ({ status: 200, jsonBody: await autoscaleService().status(pool) }));

route('pools-events', ['GET'], 'pools/{pool}/events', async (request, _w, pool) => {
  const token = request.query.get('continuationToken') ?? undefined;
  if (token !== undefined && !isTablePageToken(token)) {
    return problem({ status: 400, code: 'PAGE_TOKEN_INVALID', title: 'Invalid continuationToken', detail: 'continuationToken is not one this listing returned; start again without it.' });
  }
  const top = Number(request.query.get('top') ?? '20');
  if (!Number.isInteger(top) || top < 1 || top > 200) {
    return problem({ status: 400, code: 'VALIDATION_FAILED', title: 'Invalid top', detail: 'top must be a whole number from 1 to 200.', errors: [{ field: 'top', message: 'must be a whole number from 1 to 200' }] });
  }
  const page = await autoscaleService().events(pool, top, token);
  // No events and no policy: a misspelt or unknown pool says so. A pool whose policy was deleted keeps its history.
  if (token === undefined && page.events.length === 0 && !(await autoscaleService().getPolicy(pool))) {
    throw new AutoscaleError('POOL_NOT_FOUND', `There is no pool "${pool}" and it has no scale events. GET /api/pools lists the pools.`);
  }
  return { status: 200, jsonBody: { items: page.events, continuationToken: page.continuationToken } };
});

route('pools-wake', ['POST'], 'pools/{pool}/wake', async (_r, who, pool) => {
  const w = await autoscaleService().wake(pool, who.user, 'wake');
  // 202 even when the evaluation failed: the wake is recorded and holds a VM once Azure lets one start; `problem` and
  // Retry-After say why none is on its way yet.
  return {
    status: 202,
    headers: { location: `/api/pools/${encodeURIComponent(pool)}`, ...(w.retryAfterSeconds ? { 'retry-after': String(w.retryAfterSeconds) } : {}) },
    jsonBody: {
      pool, ready: w.ready, readyInstanceId: w.readyInstanceId, expectedReadyAt: w.expectedReadyAt?.toISOString() ?? null, status: w.status,
      problem: w.problem ? { code: w.problem.code, message: w.problem.message, at: w.problem.at.toISOString() } : null,
    },
  };
});

// The bookmarkable link: the broker places the user and sends them to their VM, or shows the waiting page.
route('pools-connect', ['GET'], 'pools/{pool}/connect', async (request, who, pool): Promise<HttpResponseInit> => {
  const result = await brokerServiceOf().connect(pool, { user: who.user, kind: 'jupyter' });
  const target = redirectTarget(result);
  if (target) return { status: 302, headers: { location: target, 'cache-control': 'no-store' } };
  // The page's own bound is real time (a person waits in real minutes, whatever the app clock runs at).
  const nowMs = Date.now();
  const startedAtMs = startedAtOf(request.query.get('started'), nowMs);
  const selfPath = `/api/pools/${encodeURIComponent(pool)}/connect`;
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: connectPage({ pool, result, selfPath, startedAtMs, nowMs, user: who.user }) };
}, true);
