// Jobs API: submit, get, list and cancel. Thin: parse, call the job service, map the result.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { config } from '../config.js';
import { callerOf, type Caller } from '../http/identity.js';
import { jobsProblem, unauthenticated } from '../http/jobs-problem.js';
import { problem } from '../http/problem.js';
import { readJsonBody, readQuery } from '../http/request.js';
import { jobSpecSchema, MAX_JOB_SPEC_BYTES } from '../jobs/job-spec.js';
import { jobListQuerySchema, toJobView } from '../jobs/job-view.js';
import { jobService } from '../services/jobs.js';

function caller(request: HttpRequest): Caller | undefined {
  const c = config();
  return callerOf(request, { adminRole: c.adminRole, devIdentity: c.devIdentity });
}

function withCaller(handler: (request: HttpRequest, who: Caller, context: InvocationContext) => Promise<HttpResponseInit>) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const who = caller(request);
    if (!who) return unauthenticated();
    try {
      return await handler(request, who, context);
    } catch (error) {
      context.warn(`jobs API: ${(error as Error).message}`);
      return jobsProblem(error);
    }
  };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,256}$/;

export async function submitJobHandler(request: HttpRequest, who: Caller): Promise<HttpResponseInit> {
  const key = request.headers.get('idempotency-key') ?? undefined;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    return problem({ status: 400, code: 'VALIDATION_FAILED', title: 'Invalid Idempotency-Key', detail: 'Idempotency-Key must be 1-256 printable ASCII characters without spaces (a UUID is ideal).', errors: [{ field: 'Idempotency-Key', message: 'must be 1-256 printable ASCII characters' }] });
  }
  const body = await readJsonBody(request, jobSpecSchema, { maxBytes: MAX_JOB_SPEC_BYTES, what: 'job spec' });
  if (!body.ok) return body.response;
  const { job, replayed } = await jobService().submit(who.user, body.value, key);
  const location = `/api/jobs/${job.id}`;
  return {
    status: 202,
    headers: { location, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
    jsonBody: { id: job.id, state: job.state, location, job: toJobView(job) },
  };
}

app.http('jobs-submit', {
  methods: ['POST'],
  route: 'jobs',
  authLevel: 'function',
  handler: withCaller(submitJobHandler),
});

app.http('jobs-list', {
  methods: ['GET'],
  route: 'jobs',
  authLevel: 'function',
  handler: withCaller(async (request, who) => {
    const q = readQuery(request, jobListQuerySchema, 'job listing query');
    if (!q.ok) return q.response;
    const page = await jobService().list(q.value, who);
    return { status: 200, jsonBody: page };
  }),
});

app.http('jobs-get', {
  methods: ['GET'],
  route: 'jobs/{id}',
  authLevel: 'function',
  handler: withCaller(async (request, who) => ({ status: 200, jsonBody: await jobService().get(request.params.id ?? '', who) })),
});

app.http('jobs-cancel', {
  methods: ['POST'],
  route: 'jobs/{id}/cancel',
  authLevel: 'function',
  handler: withCaller(async (request, who) => {
    const job = await jobService().cancel(request.params.id ?? '', who);
    return { status: job.state === 'cancelled' ? 200 : 202, jsonBody: toJobView(job) };
  }),
});
