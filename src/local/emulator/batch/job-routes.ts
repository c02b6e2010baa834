// Routes for Batch jobs: add (JobExists on a duplicate id), list ($filter, $select, paging), get and terminate.
import type { SimClock } from '../sim-clock.js';
import type { Route } from '../route.js';
import type { BatchModel } from './batch-model.js';
import { batchElement, batchEmpty, batchError, batchNotFound, versionHeaders } from './batch-response.js';
import { listResponse } from './batch-list.js';
import { toWireJob } from './batch-wire.js';
import { terminateJob } from './job-termination.js';

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function jobRoutes(model: BatchModel, clock: SimClock): Route[] {
  const now = (): number => clock.now().getTime();
  return [
    {
      method: 'POST',
      pattern: '/jobs',
      operation: 'batch.job.add',
      family: 'batch',
      handle(req) {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body.id !== 'string' || !idPattern.test(body.id)) {
          return batchError(req.baseUrl, 400, 'InvalidPropertyValue', 'The job id must be 1-64 letters, digits, hyphens or underscores.', [
            { key: 'PropertyName', value: 'id' },
          ]);
        }
        const poolId = (body.poolInfo as { poolId?: unknown } | undefined)?.poolId;
        if (typeof poolId !== 'string' || poolId === '') {
          return batchError(req.baseUrl, 400, 'MissingRequiredProperty', 'A job needs poolInfo.poolId.', [
            { key: 'PropertyName', value: 'poolInfo' },
          ]);
        }
        if (model.addJob(body, now()) === 'exists') {
          return batchError(req.baseUrl, 409, 'JobExists', 'The specified job already exists.');
        }
        const job = model.job(body.id)!;
        return batchEmpty(201, { ...versionHeaders(job), Location: `${req.baseUrl}/jobs/${job.id}`, DataServiceId: `${req.baseUrl}/jobs/${job.id}` });
      },
    },
    {
      method: 'GET',
      pattern: '/jobs/{jobId}',
      operation: 'batch.job.get',
      family: 'batch',
      handle(req) {
        model.sync(now());
        const job = model.job(req.params.jobId ?? '');
        if (!job) return batchNotFound(req.baseUrl, 'job');
        return batchElement(req.baseUrl, 'jobs', toWireJob(job, req.baseUrl), job, req.query.get('$select'));
      },
    },
    {
      method: 'GET',
      pattern: '/jobs',
      operation: 'batch.job.list',
      family: 'batch',
      handle(req) {
        model.sync(now());
        return listResponse(req, [...model.jobs.values()].map((j) => toWireJob(j, req.baseUrl)), 'jobs');
      },
    },
    {
      method: 'POST',
      pattern: '/jobs/{jobId}/terminate',
      operation: 'batch.job.terminate',
      family: 'batch',
      handle(req) {
        const job = model.job(req.params.jobId ?? '');
        if (!job) return batchNotFound(req.baseUrl, 'job');
        const reason = (req.body as { terminateReason?: unknown } | undefined)?.terminateReason;
        if (terminateJob(model, job, typeof reason === 'string' ? reason : undefined, now()) === 'completed') {
          return batchError(req.baseUrl, 409, 'JobCompleted', 'The specified job is already in a completed state.');
        }
        const url = `${req.baseUrl}/jobs/${job.id}`;
        return batchEmpty(202, { ...versionHeaders(job), DataServiceId: url });
      },
    },
  ];
}
