// The job service's Batch port over our Batch REST client. Azure errors are classified here, once, into JobsError
// codes: throttling and 5xx are transient (the queue redelivers, sync retries next tick), TaskExists is success.
import type { BatchClient } from './batch/batch-client.js';
import type { BatchTask, BatchTaskCreate } from './batch/models.js';
import type { AddTaskOutcome, BatchPort, TaskSnapshot, TaskSpec } from '../jobs/batch.port.js';
import { JobsError, type JobsErrorCode } from '../jobs/errors.js';

export function classifyBatchError(what: string, error: unknown): JobsError {
  if (error instanceof JobsError) return error;
  const e = error as { statusCode?: number; code?: string; message?: string } | undefined;
  const message = `${what}: ${e?.message ?? String(error)}`;
  let code: JobsErrorCode;
  if (e?.code === 'TaskExists') code = 'TASK_EXISTS';
  else if (e?.statusCode === 429 || e?.code === 'ServerBusy' || e?.code === 'TooManyRequests') code = 'BATCH_THROTTLED';
  else if (e?.statusCode === undefined || e.statusCode >= 500) code = 'BATCH_UNAVAILABLE';
  else if (e.statusCode === 404) code = 'BATCH_NOT_FOUND';
  else code = 'BATCH_REJECTED';
  return new JobsError(code, message, { cause: error });
}

function isoMinutes(minutes: number): string {
  return `PT${minutes}M`;
}

export function toBatchTask(t: TaskSpec): BatchTaskCreate {
  return {
    id: t.id,
    displayName: t.displayName,
    commandLine: t.commandLine,
    ...(t.containerImage
      ? { containerSettings: { imageName: t.containerImage, workingDirectory: 'taskWorkingDirectory' as const, ...(t.containerRunOptions ? { containerRunOptions: t.containerRunOptions } : {}) } }
      : {}),
    environmentSettings: t.env,
    constraints: { maxWallClockTime: isoMinutes(t.maxWallClockMinutes), maxTaskRetryCount: t.maxTaskRetryCount },
    requiredSlots: t.requiredSlots,
    ...(t.resourceFiles.length ? { resourceFiles: t.resourceFiles } : {}),
    ...(t.outputFiles.length
      ? {
          outputFiles: t.outputFiles.map((o) => ({
            filePattern: o.filePattern,
            destination: { container: { containerUrl: o.containerUrl, path: o.path } },
            uploadOptions: { uploadCondition: 'taskcompletion' as const },
          })),
        }
      : {}),
    userIdentity: { autoUser: { scope: 'pool', elevationLevel: 'nonadmin' } },
  };
}

function snapshot(t: BatchTask): TaskSnapshot {
  const x = t.executionInfo;
  return {
    id: t.id,
    state: t.state ?? 'active',
    stateTransitionTime: t.stateTransitionTime,
    startTime: x?.startTime,
    endTime: x?.endTime,
    exitCode: x?.exitCode,
    result: x?.result,
    failureCategory: x?.failureInfo?.category,
    failureCode: x?.failureInfo?.code,
    failureMessage: x?.failureInfo?.message,
    retryCount: x?.retryCount,
    nodeId: t.nodeInfo?.nodeId,
  };
}

const ignorable = (error: unknown, codes: string[]) => codes.includes(String((error as { code?: unknown })?.code));

export function createBatchPools(client: BatchClient): BatchPort {
  const ensured = new Set<string>();
  const addTasksTo = async (batchJobId: string, tasks: TaskSpec[]): Promise<AddTaskOutcome[]> => {
    if (tasks.length === 1) {
      const task = tasks[0]!;
      try {
        await client.addTask(batchJobId, toBatchTask(task));
        return [{ taskId: task.id, status: 'added' }];
      } catch (error) {
        const c = classifyBatchError(`adding task ${task.id}`, error);
        if (c.code === 'TASK_EXISTS') return [{ taskId: task.id, status: 'exists' }];
        if (c.code === 'BATCH_REJECTED') return [{ taskId: task.id, status: 'failed', code: c.code, message: c.message, transient: false }];
        throw c;
      }
    }
    let results;
    try {
      results = await client.addTaskCollection(batchJobId, tasks.map(toBatchTask));
    } catch (error) {
      throw classifyBatchError(`adding ${tasks.length} tasks to ${batchJobId}`, error);
    }
    return results.map((r): AddTaskOutcome => {
      if (r.status === 'success') return { taskId: r.taskId, status: 'added' };
      if (r.error?.code === 'TaskExists') return { taskId: r.taskId, status: 'exists' };
      const message = r.error?.message?.value ?? r.error?.code ?? r.status;
      return r.status === 'servererror' || r.error?.code === 'ServerBusy'
        ? { taskId: r.taskId, status: 'failed', code: 'BATCH_UNAVAILABLE', message, transient: true }
        : { taskId: r.taskId, status: 'failed', code: r.error?.code ?? 'BATCH_REJECTED', message, transient: false };
    });
  };
  return {
    async ensureJob(batchJobId, poolId) {
      if (ensured.has(batchJobId)) return;
      try {
        await client.addJob({ id: batchJobId, poolInfo: { poolId }, onAllTasksComplete: 'noaction', displayName: `dsvm-pool jobs on ${poolId}` });
      } catch (error) {
        if (!ignorable(error, ['JobExists'])) throw classifyBatchError(`creating Batch job ${batchJobId}`, error);
      }
      ensured.add(batchJobId);
    },

    async addTasks(batchJobId, tasks): Promise<AddTaskOutcome[]> {
      try {
        return await addTasksTo(batchJobId, tasks);
      } catch (error) {
        // The long-lived Batch job was deleted (by hand, or a lost emulator): forget that it exists, so the next
        // attempt creates it again.
        if (!ignorable((error as { cause?: unknown }).cause, ['JobNotFound'])) throw error;
        ensured.delete(batchJobId);
        throw new JobsError('BATCH_JOB_MISSING', `Batch job ${batchJobId} is missing; it is created again on the next attempt`, { cause: error });
      }
    },

    async listTasksChangedSince(batchJobId, since) {
      const out: TaskSnapshot[] = [];
      try {
        const filter = `stateTransitionTime ge datetime'${since.toISOString()}'`;
        const select = ['id', 'state', 'stateTransitionTime', 'executionInfo', 'nodeInfo'];
        for await (const t of client.listTasks(batchJobId, { filter, select, maxResults: 1000 })) out.push(snapshot(t));
      } catch (error) {
        // A missing Batch job is not "nothing changed": sync fails the jobs it held.
        if (ignorable(error, ['JobNotFound'])) throw new JobsError('BATCH_JOB_MISSING', `Batch job ${batchJobId} does not exist`, { cause: error });
        throw classifyBatchError(`listing tasks of ${batchJobId}`, error);
      }
      return out;
    },

    async listUnfinishedTaskIds(batchJobId, maxTasks) {
      const ids = new Set<string>();
      try {
        for await (const page of client.listTasks(batchJobId, { filter: "state ne 'completed'", select: ['id'], maxResults: 1000 }).byPage()) {
          for (const t of page) {
            if (ids.size >= maxTasks) return { ids, truncated: true };
            ids.add(t.id);
          }
        }
      } catch (error) {
        if (ignorable(error, ['JobNotFound'])) throw new JobsError('BATCH_JOB_MISSING', `Batch job ${batchJobId} does not exist`, { cause: error });
        throw classifyBatchError(`listing unfinished tasks of ${batchJobId}`, error);
      }
      return { ids, truncated: false };
    },

    async terminateTask(batchJobId, taskId) {
      try {
        await client.terminateTask(batchJobId, taskId);
      } catch (error) {
        if (ignorable(error, ['TaskCompleted', 'TaskNotFound', 'JobNotFound'])) return;
        throw classifyBatchError(`terminating task ${taskId}`, error);
      }
    },

    async listActiveJobs(prefix) {
      const out: { id: string; poolId?: string }[] = [];
      try {
        // Batch filters jobs by state; the id prefix is checked here (a few hundred active jobs at most).
        for await (const j of client.listJobs({ filter: "state eq 'active'", select: ['id', 'poolInfo'], maxResults: 1000 })) {
          if (j.id.startsWith(prefix)) out.push({ id: j.id, poolId: j.poolInfo?.poolId });
        }
      } catch (error) {
        throw classifyBatchError('listing active Batch jobs', error);
      }
      return out;
    },

    async hasUnfinishedTasks(batchJobId) {
      try {
        const filter = "state ne 'completed'";
        for await (const page of client.listTasks(batchJobId, { filter, select: ['id'], maxResults: 1 }).byPage()) return page.length > 0;
        return false;
      } catch (error) {
        if (ignorable(error, ['JobNotFound'])) return false;
        throw classifyBatchError(`listing unfinished tasks of ${batchJobId}`, error);
      }
    },

    async terminateJob(batchJobId, reason) {
      try {
        await client.terminateJob(batchJobId, { terminateReason: reason });
      } catch (error) {
        if (ignorable(error, ['JobCompleted', 'JobNotFound', 'JobBeingTerminated'])) return;
        throw classifyBatchError(`terminating Batch job ${batchJobId}`, error);
      }
      ensured.delete(batchJobId);
    },

    async getPool(poolId) {
      try {
        const p = await client.getPool(poolId, { select: ['id', 'vmSize', 'taskSlotsPerNode', 'allocationState', 'currentDedicatedNodes', 'targetDedicatedNodes', 'resizeErrors'] });
        return {
          id: p.id,
          allocationState: p.allocationState ?? 'steady',
          currentDedicatedNodes: p.currentDedicatedNodes ?? 0,
          targetDedicatedNodes: p.targetDedicatedNodes ?? 0,
          vmSize: p.vmSize,
          taskSlotsPerNode: p.taskSlotsPerNode ?? 1,
          resizeErrors: (p.resizeErrors ?? []).map((e) => ({ code: e.code ?? 'ResizeError', message: e.message })),
        };
      } catch (error) {
        throw classifyBatchError(`reading pool ${poolId}`, error);
      }
    },

    async readTaskFile(batchJobId, taskId, file, offset, maxBytes) {
      try {
        const size = await client.getTaskFileSize(batchJobId, taskId, file);
        if (offset >= size) return { size, data: Buffer.alloc(0) };
        const data = await client.getTaskFile(batchJobId, taskId, file, { range: { start: offset, end: Math.min(size, offset + maxBytes) - 1 } });
        return { size, data: data.subarray(0, maxBytes) };
      } catch (error) {
        // No file yet (task not on a node), or no longer (the node left the pool): nothing to show, not an error.
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404 || status === 409) return undefined;
        throw classifyBatchError(`reading ${file} of task ${taskId}`, error);
      }
    },

    async resizePool(poolId, targetDedicatedNodes) {
      try {
        await client.resizePool(poolId, { targetDedicatedNodes, targetLowPriorityNodes: 0, nodeDeallocationOption: 'taskcompletion' });
      } catch (error) {
        throw classifyBatchError(`resizing pool ${poolId} to ${targetDedicatedNodes}`, error);
      }
    },
  };
}
