// A small typed client for the Azure Batch data plane, on @azure-rest/core-client (the core the current Azure SDKs
// use). @azure/batch 10 on our registry sends a retired api-version; this client is what the Batch adapters use
// until @azure/batch 13 is available, and it can be swapped behind the adapters then.
import { getClient, type Client, type HttpResponse, type RequestParameters } from '@azure-rest/core-client';
import type { TokenCredential } from '@azure/core-auth';
import { BatchLimitError, batchRestError } from './errors.js';
import type {
  BatchJob,
  BatchJobCreate,
  BatchPool,
  BatchPoolResizeParameters,
  BatchTask,
  BatchTaskAddResult,
  BatchTaskCreate,
} from './models.js';
import { pagedList, type BatchListPage, type PagedAsyncIterable } from './paged-list.js';

/**
 * The newest stable Batch data-plane version in Azure/azure-rest-api-specs
 * (specification/batch/data-plane/Azure.Batch/stable/2025-06-01.21.0/BatchService.json: info.version and every
 * example's `api-version` are "2025-06-01.21.0").
 */
export const BATCH_API_VERSION = '2025-06-01.21.0';
export const BATCH_SCOPE = 'https://batch.core.windows.net/.default';
/** addtaskcollection accepts at most 100 tasks whose serialized size is under 1 MB. */
export const MAX_TASKS_PER_COLLECTION = 100;
export const MAX_TASK_COLLECTION_BYTES = 1024 * 1024;

/** Batch wants this content type on request bodies. */
const BATCH_CONTENT_TYPE = 'application/json; odata=minimalmetadata';

export interface BatchClientOptions {
  tlsOptions?: { ca: string };
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  apiVersion?: string;
}

export interface BatchOperationOptions {
  abortSignal?: AbortSignal;
}

export interface BatchListOptions extends BatchOperationOptions {
  /** OData filter, e.g. "state eq 'completed' and stateTransitionTime gt datetime'2026-01-01T00:00:00Z'". */
  filter?: string;
  select?: string[];
  /** Items per page; the service caps it at 1,000. */
  maxResults?: number;
}

export interface BatchGetOptions extends BatchOperationOptions {
  select?: string[];
}

export interface AddTaskCollectionOptions extends BatchOperationOptions {
  /** Default true. false sends an oversize collection anyway, to see the service's own answer (tests only). */
  checkLimits?: boolean;
}

export interface ResizePoolOptions extends BatchOperationOptions {
  /** The pool's ETag; the resize fails with 412 if the pool changed since. */
  ifMatch?: string;
}

export interface TerminateJobOptions extends BatchOperationOptions {
  /** Shown as the job's executionInfo.terminateReason; Batch's default is 'UserTerminate'. */
  terminateReason?: string;
}

export interface BatchClient {
  readonly endpoint: string;
  getPool(poolId: string, options?: BatchGetOptions): Promise<BatchPool>;
  listPools(options?: BatchListOptions): PagedAsyncIterable<BatchPool>;
  /** Starts a resize (202). nodeDeallocationOption defaults to 'taskcompletion': a node running a task is kept until it is done. */
  resizePool(poolId: string, parameters: BatchPoolResizeParameters, options?: ResizePoolOptions): Promise<void>;
  /** Stops a resize in progress (202): the pool keeps the nodes it has, and can be resized again once steady. */
  stopResizePool(poolId: string, options?: BatchOperationOptions): Promise<void>;
  /** 201; a duplicate id throws RestError code 'JobExists' (409), which callers creating long-lived jobs tolerate. */
  addJob(job: BatchJobCreate, options?: BatchOperationOptions): Promise<void>;
  getJob(jobId: string, options?: BatchGetOptions): Promise<BatchJob>;
  /** Jobs of the account, e.g. filter "state eq 'active'" (the ones that count against the active-job quota). */
  listJobs(options?: BatchListOptions): PagedAsyncIterable<BatchJob>;
  /**
   * 202: the job goes to `terminating`, its active and running tasks are ended, then it is `completed` and no longer
   * counts against the active-job quota. A completed job throws RestError code 'JobCompleted' (409).
   */
  terminateJob(jobId: string, options?: TerminateJobOptions): Promise<void>;
  /** 201; a duplicate id throws RestError code 'TaskExists' (409). */
  addTask(jobId: string, task: BatchTaskCreate, options?: BatchOperationOptions): Promise<{ eTag?: string; location?: string }>;
  /** One result per task (match them by taskId: Batch does not promise the order); throws BatchLimitError over 100 tasks or 1 MB. */
  addTaskCollection(jobId: string, tasks: BatchTaskCreate[], options?: AddTaskCollectionOptions): Promise<BatchTaskAddResult[]>;
  listTasks(jobId: string, options?: BatchListOptions): PagedAsyncIterable<BatchTask>;
  getTask(jobId: string, taskId: string, options?: BatchGetOptions): Promise<BatchTask>;
  /** 204; a task that has already completed throws RestError code 'TaskCompleted' (409). */
  terminateTask(jobId: string, taskId: string, options?: BatchOperationOptions): Promise<void>;
  /** HEAD of a file in the task's directory on its node (File_GetPropertiesFromTask): its size from Content-Length. */
  getTaskFileSize(jobId: string, taskId: string, filePath: string, options?: BatchOperationOptions): Promise<number>;
  /**
   * Bytes of a file in the task's directory (File_GetFromTask), e.g. "stdout.txt"; `range` is sent as the
   * `ocp-range: bytes=start-end` header (inclusive end), per BatchService.json 2025-06-01.21.0.
   */
  getTaskFile(jobId: string, taskId: string, filePath: string, options?: BatchOperationOptions & { range?: { start: number; end: number } }): Promise<Buffer>;
}

function ensureStatus(response: HttpResponse, ...ok: number[]): HttpResponse {
  if (!ok.includes(Number(response.status))) throw batchRestError(response);
  return response;
}

function listQuery(options: BatchListOptions): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  if (options.filter) q.$filter = options.filter;
  if (options.select?.length) q.$select = options.select.join(',');
  if (options.maxResults !== undefined) q.maxresults = options.maxResults;
  return q;
}

function asPage<T>(response: HttpResponse): BatchListPage<T> {
  const body = (response.body ?? {}) as { value?: T[]; 'odata.nextLink'?: string };
  return { value: body.value ?? [], nextLink: body['odata.nextLink'] };
}

export function createBatchClient(endpoint: string, credential: TokenCredential, options: BatchClientOptions = {}): BatchClient {
  const client: Client = getClient(endpoint, credential, {
    apiVersion: options.apiVersion ?? BATCH_API_VERSION,
    credentials: { scopes: [BATCH_SCOPE] },
    userAgentOptions: { userAgentPrefix: 'dsvm-pool' },
    ...(options.tlsOptions ? { tlsOptions: options.tlsOptions } : {}),
    ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
  });

  const params = (o: BatchOperationOptions | undefined, extra: RequestParameters = {}): RequestParameters => ({
    ...extra,
    ...(o?.abortSignal ? { abortSignal: o.abortSignal } : {}),
  });
  const post = (o: BatchOperationOptions | undefined, body: unknown, headers?: Record<string, string>): RequestParameters =>
    params(o, { body, contentType: BATCH_CONTENT_TYPE, ...(headers ? { headers } : {}) });
  const selectQuery = (o: BatchGetOptions | undefined): RequestParameters =>
    params(o, o?.select?.length ? { queryParameters: { $select: o.select.join(',') } } : {});

  const list = <T>(path: string, o: BatchListOptions = {}): PagedAsyncIterable<T> =>
    pagedList<T>(async (nextLink) => {
      const request = nextLink
        ? client.pathUnchecked(nextLink).get(params(o))
        : client.pathUnchecked(path).get(params(o, { queryParameters: listQuery(o) }));
      return asPage<T>(ensureStatus(await request, 200));
    });

  return {
    endpoint,

    async getPool(poolId, o) {
      return ensureStatus(await client.path('/pools/{poolId}', poolId).get(selectQuery(o)), 200).body as BatchPool;
    },

    listPools: (o) => list<BatchPool>('/pools', o),

    async resizePool(poolId, parameters, o) {
      const body = { nodeDeallocationOption: 'taskcompletion', ...parameters };
      const headers = o?.ifMatch ? { 'If-Match': o.ifMatch } : undefined;
      ensureStatus(await client.path('/pools/{poolId}/resize', poolId).post(post(o, body, headers)), 202);
    },

    async stopResizePool(poolId, o) {
      ensureStatus(await client.path('/pools/{poolId}/stopresize', poolId).post(post(o, undefined)), 202);
    },

    async addJob(job, o) {
      ensureStatus(await client.path('/jobs').post(post(o, job)), 201);
    },

    async getJob(jobId, o) {
      return ensureStatus(await client.path('/jobs/{jobId}', jobId).get(selectQuery(o)), 200).body as BatchJob;
    },

    listJobs: (o) => list<BatchJob>('/jobs', o),

    async terminateJob(jobId, o) {
      const body = o?.terminateReason ? { terminateReason: o.terminateReason } : undefined;
      ensureStatus(await client.path('/jobs/{jobId}/terminate', jobId).post(post(o, body)), 202);
    },

    async addTask(jobId, task, o) {
      const response = ensureStatus(await client.path('/jobs/{jobId}/tasks', jobId).post(post(o, task)), 201);
      return { eTag: response.headers['etag'], location: response.headers['location'] };
    },

    async addTaskCollection(jobId, tasks, o) {
      const body = { value: tasks };
      if (o?.checkLimits !== false) {
        if (tasks.length > MAX_TASKS_PER_COLLECTION) {
          throw new BatchLimitError(
            'BATCH_TOO_MANY_TASKS',
            `addTaskCollection takes at most ${MAX_TASKS_PER_COLLECTION} tasks per call; got ${tasks.length}. Send them in chunks of ${MAX_TASKS_PER_COLLECTION}.`,
          );
        }
        const bytes = Buffer.byteLength(JSON.stringify(body));
        if (bytes >= MAX_TASK_COLLECTION_BYTES) {
          throw new BatchLimitError(
            'BATCH_REQUEST_TOO_LARGE',
            `addTaskCollection body is ${bytes} bytes; Batch accepts under ${MAX_TASK_COLLECTION_BYTES}. Send fewer tasks per call or move large settings into resource files.`,
          );
        }
      }
      const response = ensureStatus(await client.path('/jobs/{jobId}/addtaskcollection', jobId).post(post(o, body)), 200);
      return ((response.body ?? {}) as { value?: BatchTaskAddResult[] }).value ?? [];
    },

    listTasks: (jobId, o) => list<BatchTask>(`/jobs/${encodeURIComponent(jobId)}/tasks`, o),

    async getTask(jobId, taskId, o) {
      const response = await client.path('/jobs/{jobId}/tasks/{taskId}', jobId, taskId).get(selectQuery(o));
      return ensureStatus(response, 200).body as BatchTask;
    },

    async terminateTask(jobId, taskId, o) {
      ensureStatus(await client.path('/jobs/{jobId}/tasks/{taskId}/terminate', jobId, taskId).post(post(o, undefined)), 204);
    },

    async getTaskFileSize(jobId, taskId, filePath, o) {
      const response = ensureStatus(await client.path('/jobs/{jobId}/tasks/{taskId}/files/{filePath}', jobId, taskId, filePath).head(params(o)), 200);
      return Number(response.headers['content-length'] ?? 0);
    },

    async getTaskFile(jobId, taskId, filePath, o) {
      const headers = o?.range ? { 'ocp-range': `bytes=${o.range.start}-${o.range.end}` } : undefined;
      const response = await client.path('/jobs/{jobId}/tasks/{taskId}/files/{filePath}', jobId, taskId, filePath).get(params(o, headers ? { headers } : {})).asNodeStream();
      const chunks: Buffer[] = [];
      for await (const chunk of response.body ?? []) chunks.push(Buffer.from(chunk as Uint8Array));
      const bytes = Buffer.concat(chunks);
      if (Number(response.status) !== 200) {
        let body: unknown;
        try {
          body = JSON.parse(bytes.toString('utf8'));
        } catch {
          body = undefined;
        }
        throw batchRestError({ ...response, body } as unknown as HttpResponse);
      }
      return bytes;
    },
  };
}
