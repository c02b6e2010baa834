// Routes for Batch tasks: add (TaskExists on a duplicate id), addtaskcollection (≤ 100 tasks, < 1 MB, a result per
// task), list, get and terminate.
import type { SimClock } from '../sim-clock.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { BatchModel } from './batch-model.js';
import { batchElement, batchEmpty, batchError, batchErrorBody, batchJson, batchNotFound, versionHeaders } from './batch-response.js';
import { toWireTask } from './batch-wire.js';
import { listResponse } from './batch-list.js';

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TASKS = 100;
const MAX_BYTES = 1024 * 1024;

/** Why a task body is rejected, or undefined when it is acceptable. */
function invalidTask(body: unknown): { code: string; message: string; property: string } | undefined {
  const t = body as Record<string, unknown> | null;
  if (!t || typeof t !== 'object') return { code: 'InvalidRequestBody', message: 'The task must be a JSON object.', property: 'task' };
  if (typeof t.id !== 'string' || !idPattern.test(t.id)) {
    return { code: 'InvalidPropertyValue', message: 'The task id must be 1-64 letters, digits, hyphens or underscores.', property: 'id' };
  }
  if (typeof t.commandLine !== 'string' || t.commandLine === '') {
    return { code: 'MissingRequiredProperty', message: 'A task needs a commandLine.', property: 'commandLine' };
  }
  return undefined;
}

export function taskRoutes(model: BatchModel, clock: SimClock): Route[] {
  const now = (): number => clock.now().getTime();
  const jobCompleted = (req: EmuRequest): EmuResponse => batchError(req.baseUrl, 409, 'JobCompleted', 'The specified job is already in a completed state.');
  const taskUrl = (req: EmuRequest, jobId: string, taskId: string): string => `${req.baseUrl}/jobs/${jobId}/tasks/${taskId}`;

  return [
    {
      method: 'POST',
      pattern: '/jobs/{jobId}/tasks',
      operation: 'batch.task.add',
      family: 'batch',
      handle(req) {
        const bad = invalidTask(req.body);
        if (bad) return batchError(req.baseUrl, 400, bad.code, bad.message, [{ key: 'PropertyName', value: bad.property }]);
        const body = req.body as Record<string, unknown>;
        const result = model.addTask(req.params.jobId ?? '', body, now());
        if (result === 'job-not-found') return batchNotFound(req.baseUrl, 'job');
        if (result === 'job-completed') return jobCompleted(req);
        if (result === 'exists') return batchError(req.baseUrl, 409, 'TaskExists', 'The specified task already exists.');
        const task = model.task(req.params.jobId ?? '', String(body.id))!;
        const url = taskUrl(req, task.jobId, task.id);
        return batchEmpty(201, { ...versionHeaders(task), Location: url, DataServiceId: url });
      },
    },
    {
      method: 'POST',
      pattern: '/jobs/{jobId}/addtaskcollection',
      operation: 'batch.task.addCollection',
      family: 'batch',
      handle(req) {
        const tasks = (req.body as { value?: unknown } | undefined)?.value;
        if (!Array.isArray(tasks)) {
          return batchError(req.baseUrl, 400, 'InvalidRequestBody', 'The body must be { "value": [ task, … ] }.', [{ key: 'PropertyName', value: 'value' }]);
        }
        if (tasks.length > MAX_TASKS || req.rawBody.length >= MAX_BYTES) {
          return batchError(
            req.baseUrl,
            413,
            'RequestBodyTooLarge',
            `The request body is too large: a task collection holds at most ${MAX_TASKS} tasks and under ${MAX_BYTES} bytes (got ${tasks.length} tasks, ${req.rawBody.length} bytes).`,
          );
        }
        const jobId = req.params.jobId ?? '';
        const job = model.job(jobId);
        if (!job) return batchNotFound(req.baseUrl, 'job');
        if (job.state !== 'active') return jobCompleted(req);
        const t = now();
        const value = tasks.map((body: unknown) => {
          const taskId = String((body as { id?: unknown } | null)?.id ?? '');
          const bad = invalidTask(body);
          if (bad) return { status: 'clienterror', taskId, error: batchErrorBody(req.baseUrl, bad.code, bad.message, [{ key: 'PropertyName', value: bad.property }]) };
          if (model.addTask(jobId, body as Record<string, unknown>, t) === 'exists') {
            return { status: 'clienterror', taskId, error: batchErrorBody(req.baseUrl, 'TaskExists', 'The specified task already exists.') };
          }
          const task = model.task(jobId, taskId)!;
          return {
            status: 'success',
            taskId,
            eTag: task.eTag,
            lastModified: new Date(task.lastModified).toISOString(),
            location: taskUrl(req, task.jobId, task.id),
          };
        });
        return batchJson(200, { 'odata.metadata': `${req.baseUrl}/$metadata#taskaddresult`, value });
      },
    },
    {
      method: 'GET',
      pattern: '/jobs/{jobId}/tasks',
      operation: 'batch.task.list',
      family: 'batch',
      handle(req) {
        model.sync(now());
        const job = model.job(req.params.jobId ?? '');
        if (!job) return batchNotFound(req.baseUrl, 'job');
        const tasks = [...model.tasks.values()].filter((t) => t.jobId === job.id).map((t) => toWireTask(t, req.baseUrl));
        return listResponse(req, tasks, 'tasks');
      },
    },
    {
      method: 'GET',
      pattern: '/jobs/{jobId}/tasks/{taskId}',
      operation: 'batch.task.get',
      family: 'batch',
      handle(req) {
        model.sync(now());
        if (!model.job(req.params.jobId ?? '')) return batchNotFound(req.baseUrl, 'job');
        const task = model.task(req.params.jobId ?? '', req.params.taskId ?? '');
        if (!task) return batchNotFound(req.baseUrl, 'task');
        return batchElement(req.baseUrl, 'tasks', toWireTask(task, req.baseUrl), task, req.query.get('$select'));
      },
    },
    {
      method: 'POST',
      pattern: '/jobs/{jobId}/tasks/{taskId}/terminate',
      operation: 'batch.task.terminate',
      family: 'batch',
      handle(req) {
        const t = now();
        model.sync(t);
        if (!model.job(req.params.jobId ?? '')) return batchNotFound(req.baseUrl, 'job');
        const task = model.task(req.params.jobId ?? '', req.params.taskId ?? '');
        if (!task) return batchNotFound(req.baseUrl, 'task');
        if (!model.terminateTask(task, t)) return batchError(req.baseUrl, 409, 'TaskCompleted', 'The specified task is already completed.');
        return batchEmpty(204, { ...versionHeaders(task), DataServiceId: taskUrl(req, task.jobId, task.id) });
      },
    },
  ];
}
