// The emulator's own records of Batch pools, nodes, jobs and tasks. Times are simulated epoch milliseconds; the wire
// shapes are made from these in batch-wire.ts.

export interface PoolSpec {
  id: string;
  vmSize: string;
  gpusPerNode: number;
  cpusPerNode: number;
  memoryGiBPerNode: number;
  taskSlotsPerNode?: number;
  /** Simulated seconds from a resize until a new node is idle; default 180. */
  nodeStartSeconds?: number;
  targetDedicatedNodes?: number;
  /** Dedicated nodes the account's core quota allows; a larger resize stops there with a resize error. */
  maxDedicatedNodes?: number;
}

export interface NodeRecord {
  id: string;
  /** Until this time the node is starting and takes no tasks. */
  readyAt: number;
  usedSlots: number;
  taskKeys: Set<string>;
  /** Removed by a resize with taskcompletion/retaineddata: takes no new tasks and goes when its tasks end. */
  leaving: boolean;
}

export interface PoolRecord {
  spec: PoolSpec;
  taskSlotsPerNode: number;
  nodeStartMs: number;
  creationTime: number;
  eTag: string;
  lastModified: number;
  targetDedicatedNodes: number;
  allocationState: 'steady' | 'resizing';
  allocationStateTransitionTime: number;
  resizeTimeout: string;
  resizeErrors: { code: string; message: string }[];
  nodes: NodeRecord[];
  nextNodeNumber: number;
}

export interface JobRecord {
  id: string;
  body: Record<string, unknown>;
  poolId: string;
  priority: number;
  maxTaskRetryCount: number | undefined;
  creationTime: number;
  eTag: string;
  lastModified: number;
  /** Terminate Job completes the job at once here (Azure passes through `terminating` while it ends tasks). */
  state: 'active' | 'completed';
  stateTransitionTime: number;
  endTime?: number;
  terminateReason?: string;
}

export type TaskState = 'active' | 'running' | 'completed';

export interface TaskRun {
  poolId: string;
  nodeId: string;
  endAt: number;
  timedOut: boolean;
}

export interface TaskExecution {
  startTime?: number;
  endTime?: number;
  exitCode?: number;
  result?: 'success' | 'failure';
  failureInfo?: { category: 'usererror' | 'servererror'; code: string; message: string };
  retryCount: number;
  requeueCount: number;
  lastRetryTime?: number;
  lastRequeueTime?: number;
}

export interface TaskRecord {
  /** `${jobId}/${taskId}` lower-cased: Batch ids are case-insensitive. */
  key: string;
  jobId: string;
  id: string;
  body: Record<string, unknown>;
  /** Arrival order, which the scheduler honours within a priority. */
  seq: number;
  state: TaskState;
  stateTransitionTime: number;
  previousState?: TaskState;
  previousStateTransitionTime?: number;
  creationTime: number;
  eTag: string;
  lastModified: number;
  requiredSlots: number;
  durationMs: number;
  /** Exit code per attempt; the last one repeats. */
  exitCodes: number[];
  maxTaskRetryCount: number;
  maxWallClockMs: number | undefined;
  attempts: number;
  retryPending: boolean;
  execution: TaskExecution;
  nodeInfo?: { poolId: string; nodeId: string };
  run?: TaskRun;
}
