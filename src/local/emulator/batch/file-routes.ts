// Batch's task file API for the emulator's simulated tasks: GET (with the `ocp-range: bytes=start-end` header) and
// HEAD (Content-Length) of `/jobs/{jobId}/tasks/{taskId}/files/{filePath}`, api-version 2025-06-01.21.0
// (Azure/azure-rest-api-specs BatchService.json, File_GetFromTask / File_GetPropertiesFromTask). Only stdout.txt
// and stderr.txt exist. A task that has not started on a node has no files yet: 404 (code unconfirmed against Azure).
import type { SimClock } from '../sim-clock.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { BatchModel } from './batch-model.js';
import { batchError, batchHeaders, batchNotFound } from './batch-response.js';
import { taskOutput, TASK_FILES, type TaskFile } from './task-output.js';

const RANGE = /^bytes=(\d+)-(\d*)$/;

export function fileRoutes(model: BatchModel, clock: SimClock): Route[] {
  const read = (req: EmuRequest): { content: Buffer; mtime: number } | EmuResponse => {
    const now = clock.now().getTime();
    model.sync(now);
    if (!model.job(req.params.jobId ?? '')) return batchNotFound(req.baseUrl, 'job');
    const task = model.task(req.params.jobId ?? '', req.params.taskId ?? '');
    if (!task) return batchNotFound(req.baseUrl, 'task');
    const file = req.params.filePath ?? '';
    const content = TASK_FILES.includes(file as TaskFile) ? taskOutput(task, file as TaskFile, now) : undefined;
    if (!content) return batchError(req.baseUrl, 404, 'FileNotFound', `The file ${file} of task ${task.id} does not exist on its node.`);
    return { content, mtime: task.execution.endTime ?? now };
  };
  const fileHeaders = (req: EmuRequest, mtime: number) =>
    batchHeaders({
      'content-type': 'application/octet-stream',
      'ocp-batch-file-isdirectory': 'false',
      'ocp-batch-file-url': `${req.baseUrl}/jobs/${req.params.jobId}/tasks/${req.params.taskId}/files/${req.params.filePath}`,
      'ocp-batch-file-mode': '0o100644',
      'ocp-creation-time': new Date(mtime).toUTCString(),
      'Last-Modified': new Date(mtime).toUTCString(),
    });
  return [
    {
      method: 'HEAD',
      pattern: '/jobs/{jobId}/tasks/{taskId}/files/{filePath}',
      operation: 'batch.file.getProperties',
      family: 'batch',
      handle(req) {
        const r = read(req);
        if (!('content' in r)) return { status: r.status, headers: r.headers };
        // Node drops the body of a HEAD answer but keeps its Content-Length: the file's size.
        return { status: 200, headers: fileHeaders(req, r.mtime), body: r.content };
      },
    },
    {
      method: 'GET',
      pattern: '/jobs/{jobId}/tasks/{taskId}/files/{filePath}',
      operation: 'batch.file.get',
      family: 'batch',
      handle(req) {
        const r = read(req);
        if (!('content' in r)) return r;
        const range = req.headers['ocp-range'];
        let body = r.content;
        if (typeof range === 'string') {
          const m = RANGE.exec(range.trim());
          if (!m) return batchError(req.baseUrl, 400, 'InvalidHeaderValue', 'The value for ocp-range must be bytes=start-end.', [{ key: 'HeaderName', value: 'ocp-range' }]);
          const start = Number(m[1]);
          const end = m[2] ? Number(m[2]) : r.content.length - 1;
          body = r.content.subarray(start, Math.max(start, end + 1));
        }
        return { status: 200, headers: fileHeaders(req, r.mtime), body };
      },
    },
  ];
}
