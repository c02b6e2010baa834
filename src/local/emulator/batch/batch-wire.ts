// Wire shapes (api-version 2025-06-01.21.0) of the emulator's pools, jobs and tasks, as Batch returns them: ISO times,
// ETag/lastModified, defaults filled in, and $select applied to top-level properties.
import type { JobRecord, PoolRecord, TaskRecord } from './batch-records.js';
import { UNLIMITED_DURATION } from './iso-duration.js';

type Wire = Record<string, unknown>;

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

function withoutUndefined(o: Wire): Wire {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function applySelect(item: Wire, select: string | null): Wire {
  if (!select) return item;
  const keep = new Set(select.split(',').map((s) => s.trim().split('/')[0]!).filter(Boolean));
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k) || k.startsWith('odata.')));
}

export function nodeState(node: PoolRecord['nodes'][number], now: number): string {
  if (node.leaving) return 'leavingpool';
  if (node.readyAt > now) return 'starting';
  return node.usedSlots > 0 ? 'running' : 'idle';
}

export function toWirePool(pool: PoolRecord, baseUrl: string): Wire {
  return withoutUndefined({
    id: pool.spec.id,
    url: `${baseUrl}/pools/${pool.spec.id}`,
    eTag: pool.eTag,
    lastModified: iso(pool.lastModified),
    creationTime: iso(pool.creationTime),
    state: 'active',
    stateTransitionTime: iso(pool.creationTime),
    allocationState: pool.allocationState,
    allocationStateTransitionTime: iso(pool.allocationStateTransitionTime),
    vmSize: pool.spec.vmSize.toLowerCase(),
    resizeTimeout: pool.resizeTimeout,
    resizeErrors: pool.resizeErrors.length ? pool.resizeErrors.map((e) => ({ ...e, values: [] })) : undefined,
    currentDedicatedNodes: pool.nodes.length,
    currentLowPriorityNodes: 0,
    targetDedicatedNodes: pool.targetDedicatedNodes,
    targetLowPriorityNodes: 0,
    enableAutoScale: false,
    enableInterNodeCommunication: false,
    taskSlotsPerNode: pool.taskSlotsPerNode,
    taskSchedulingPolicy: { nodeFillType: 'spread' },
    virtualMachineConfiguration: {
      imageReference: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' },
      nodeAgentSKUId: 'batch.node.ubuntu 22.04',
    },
  });
}

export function toWireJob(job: JobRecord, baseUrl: string): Wire {
  return withoutUndefined({
    ...job.body,
    id: job.id,
    url: `${baseUrl}/jobs/${job.id}`,
    eTag: job.eTag,
    lastModified: iso(job.lastModified),
    creationTime: iso(job.creationTime),
    state: job.state,
    stateTransitionTime: iso(job.stateTransitionTime),
    priority: job.priority,
    constraints: { maxWallClockTime: UNLIMITED_DURATION, maxTaskRetryCount: 0, ...((job.body.constraints as Wire) ?? {}) },
    onAllTasksComplete: job.body.onAllTasksComplete ?? 'noaction',
    usesTaskDependencies: job.body.usesTaskDependencies ?? false,
    executionInfo: { startTime: iso(job.creationTime), endTime: iso(job.endTime), poolId: job.poolId, terminateReason: job.terminateReason },
  });
}

export function toWireTask(task: TaskRecord, baseUrl: string): Wire {
  const e = task.execution;
  const c = (task.body.constraints ?? {}) as Wire;
  return withoutUndefined({
    ...task.body,
    id: task.id,
    url: `${baseUrl}/jobs/${task.jobId}/tasks/${task.id}`,
    eTag: task.eTag,
    lastModified: iso(task.lastModified),
    creationTime: iso(task.creationTime),
    state: task.state,
    stateTransitionTime: iso(task.stateTransitionTime),
    previousState: task.previousState,
    previousStateTransitionTime: iso(task.previousStateTransitionTime),
    userIdentity: task.body.userIdentity ?? { autoUser: { scope: 'pool', elevationLevel: 'nonadmin' } },
    constraints: {
      maxWallClockTime: c.maxWallClockTime ?? UNLIMITED_DURATION,
      retentionTime: c.retentionTime ?? 'P7D',
      maxTaskRetryCount: task.maxTaskRetryCount,
    },
    requiredSlots: task.requiredSlots,
    executionInfo: withoutUndefined({
      startTime: iso(e.startTime),
      endTime: iso(e.endTime),
      exitCode: e.exitCode,
      result: e.result,
      failureInfo: e.failureInfo ? { ...e.failureInfo, details: [] } : undefined,
      retryCount: e.retryCount,
      requeueCount: e.requeueCount,
      lastRetryTime: iso(e.lastRetryTime),
      lastRequeueTime: iso(e.lastRequeueTime),
    }),
    nodeInfo: task.nodeInfo
      ? {
          affinityId: `TVM:${task.nodeInfo.nodeId}`,
          nodeUrl: `${baseUrl}/pools/${task.nodeInfo.poolId}/nodes/${task.nodeInfo.nodeId}`,
          poolId: task.nodeInfo.poolId,
          nodeId: task.nodeInfo.nodeId,
          taskRootDirectory: `workitems/${task.jobId}/job-1/${task.id}`,
        }
      : undefined,
  });
}
