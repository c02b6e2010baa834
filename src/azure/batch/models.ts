// Wire shapes of the Azure Batch data plane (api-version 2025-06-01.21.0) that dsvm-pool uses. Only the fields we read
// or send are typed; the service returns more, and unknown fields pass through untouched.

export type BatchTaskState = 'active' | 'preparing' | 'running' | 'completed';
export type BatchAllocationState = 'steady' | 'resizing' | 'stopping';
export type BatchNodeDeallocationOption = 'requeue' | 'terminate' | 'taskcompletion' | 'retaineddata';

export interface BatchNameValue {
  name: string;
  value: string;
}

export interface BatchErrorDetail {
  code?: string;
  message?: string;
  values?: BatchNameValue[];
}

export interface BatchPool {
  id: string;
  url?: string;
  eTag?: string;
  lastModified?: string;
  creationTime?: string;
  state?: 'active' | 'deleting';
  vmSize?: string;
  allocationState?: BatchAllocationState;
  allocationStateTransitionTime?: string;
  currentDedicatedNodes?: number;
  currentLowPriorityNodes?: number;
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  enableAutoScale?: boolean;
  resizeTimeout?: string;
  resizeErrors?: BatchErrorDetail[];
  taskSlotsPerNode?: number;
  metadata?: BatchNameValue[];
}

export interface BatchPoolResizeParameters {
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  /** ISO-8601 duration, e.g. 'PT15M'. */
  resizeTimeout?: string;
  nodeDeallocationOption?: BatchNodeDeallocationOption;
}

export interface BatchJobConstraints {
  maxWallClockTime?: string;
  maxTaskRetryCount?: number;
}

export interface BatchJobCreate {
  id: string;
  displayName?: string;
  poolInfo: { poolId: string };
  priority?: number;
  constraints?: BatchJobConstraints;
  onAllTasksComplete?: 'noaction' | 'terminatejob';
  usesTaskDependencies?: boolean;
  metadata?: BatchNameValue[];
}

export interface BatchJob extends BatchJobCreate {
  url?: string;
  eTag?: string;
  lastModified?: string;
  creationTime?: string;
  state?: 'active' | 'disabling' | 'disabled' | 'enabling' | 'terminating' | 'completed' | 'deleting';
  stateTransitionTime?: string;
  executionInfo?: { startTime?: string; endTime?: string; poolId?: string; terminateReason?: string };
}

export interface BatchTaskConstraints {
  /** ISO-8601 duration, e.g. 'PT2H'. */
  maxWallClockTime?: string;
  retentionTime?: string;
  /** -1 retries without limit. */
  maxTaskRetryCount?: number;
}

export interface BatchResourceFile {
  autoStorageContainerName?: string;
  storageContainerUrl?: string;
  httpUrl?: string;
  blobPrefix?: string;
  filePath?: string;
  fileMode?: string;
}

export interface BatchOutputFile {
  filePattern: string;
  destination: { container?: { path?: string; containerUrl: string; identityReference?: { resourceId?: string } } };
  uploadOptions: { uploadCondition: 'tasksuccess' | 'taskfailure' | 'taskcompletion' };
}

export interface BatchTaskCreate {
  id: string;
  displayName?: string;
  commandLine: string;
  containerSettings?: { imageName: string; containerRunOptions?: string; workingDirectory?: 'taskWorkingDirectory' | 'containerImageDefault' };
  resourceFiles?: BatchResourceFile[];
  outputFiles?: BatchOutputFile[];
  environmentSettings?: BatchNameValue[];
  constraints?: BatchTaskConstraints;
  requiredSlots?: number;
  userIdentity?: { username?: string; autoUser?: { scope?: 'task' | 'pool'; elevationLevel?: 'nonadmin' | 'admin' } };
}

export interface BatchTaskFailureInfo {
  category: 'usererror' | 'servererror';
  code?: string;
  message?: string;
  details?: BatchNameValue[];
}

export interface BatchTaskExecutionInfo {
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  result?: 'success' | 'failure';
  failureInfo?: BatchTaskFailureInfo;
  retryCount: number;
  requeueCount: number;
  lastRetryTime?: string;
  lastRequeueTime?: string;
}

export interface BatchTask extends Partial<Omit<BatchTaskCreate, 'id'>> {
  id: string;
  url?: string;
  eTag?: string;
  lastModified?: string;
  creationTime?: string;
  state?: BatchTaskState;
  stateTransitionTime?: string;
  previousState?: BatchTaskState;
  previousStateTransitionTime?: string;
  executionInfo?: BatchTaskExecutionInfo;
  nodeInfo?: { poolId?: string; nodeId?: string; affinityId?: string; nodeUrl?: string };
}

/** One item of an addtaskcollection answer; the call is 200 even when some items fail. */
export interface BatchTaskAddResult {
  status: 'success' | 'clienterror' | 'servererror';
  taskId: string;
  eTag?: string;
  lastModified?: string;
  location?: string;
  error?: { code?: string; message?: { lang?: string; value?: string }; values?: { key?: string; value?: string }[] };
}
