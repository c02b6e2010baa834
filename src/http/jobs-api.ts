// The Jobs API handlers (submit, list, get, cancel): parse, call the job service, map the result. They register
// nothing, so the bench and tests can call them without a Functions host; src/functions/jobs.ts wires them to routes.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { jobSpecSchema, MAX_JOB_SPEC_BYTES } from '../jobs/job-spec.js';
import { jobListQuerySchema, toJobView } from '../jobs/job-view.js';
import { jobLogsQuerySchema } from '../jobs/job-logs-view.js';
import type { JobService } from '../services/jobs.js';
import { callerOf, type Caller, type Need } from './identity.js';
import { poolNameProblem } from './pool-name.js';
import { jobsProblem } from './jobs-problem.js';
import { problem } from './problem.js';
import { readJsonBody, readQuery } from './request.js';

export type JobsHandler = (request: HttpRequest, who: Caller) => Promise<HttpResponseInit>;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,256}$/;

export function jobsApi(service: () => JobService): Record<'submit' | 'list' | 'get' | 'cancel' | 'logs' | 'usage', JobsHandler> {
  return {
    async submit(request, who) {
      const key = request.headers.get('idempotency-key') ?? undefined;
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        return problem({ status: 400, code: 'VALIDATION_FAILED', title: 'Invalid Idempotency-Key', detail: 'Idempotency-Key must be 1-256 printable ASCII characters without spaces (a UUID is ideal).', errors: [{ field: 'Idempotency-Key', message: 'must be 1-256 printable ASCII characters' }] });
      }
      const body = await readJsonBody(request, jobSpecSchema, { maxBytes: MAX_JOB_SPEC_BYTES, what: 'job spec' });
      if (!body.ok) return body.response;
      const { job, replayed } = await service().submit(who.user, body.value, key);
      const location = `/api/jobs/${job.id}`;
      return {
        status: 202,
        headers: { location, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
        jsonBody: { id: job.id, state: job.state, location, job: toJobView(job) },
      };
    },

    async list(request, who) {
      const q = readQuery(request, jobListQuerySchema, 'job listing query');
      if (!q.ok) return q.response;
      return { status: 200, jsonBody: await service().list(q.value, who) };
    },

    async get(request, who) {
      return { status: 200, jsonBody: await service().get(request.params.id ?? '', who) };
    },

    async cancel(request, who) {
      const job = await service().cancel(request.params.id ?? '', who);
      return { status: job.state === 'cancelled' ? 200 : 202, jsonBody: toJobView(job) };
    },

    async logs(request, who) {
      const q = readQuery(request, jobLogsQuerySchema, 'logs query');
      if (!q.ok) return q.response;
      return { status: 200, jsonBody: await service().logs(request.params.id ?? '', who, q.value) };
    },

    async usage(request, who) {
      // Wired with withCaller(…, 'admin'): a non-admin got the identity check's 403, naming the role.
      if (!who.isAdmin) return problem({ status: 403, code: 'FORBIDDEN', title: 'Admins only', detail: 'Per-user usage of a pool is for admins; your own jobs are in GET /api/jobs.' });
      const pool = request.params.pool ?? '';
      const badName = poolNameProblem(pool);
      if (badName) return badName;
      return { status: 200, jsonBody: await service().usage(pool) };
    },
  };
}

/** Resolves the caller (401/403 problem without one) and maps a thrown JobsError to problem+json. */
export function withCaller(handler: JobsHandler, need: Need = 'user') {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const who = await callerOf(request, need);
    if (!who.ok) return who.response;
    try {
      return await handler(request, who.caller);
    } catch (error) {
      context.warn(`jobs API: ${(error as Error).message}`);
      return jobsProblem(error);
    }
  };
}
