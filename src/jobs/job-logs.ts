// A job's stdout/stderr, read from the task's files through Batch (while it runs and after, as long as the node
// keeps them), paged by byte offset so a large log never has to be read at once. Owner and admins only.
import type { BatchPort } from './batch.port.js';
import { JobsError } from './errors.js';
import { taskIdOf } from './job-record.js';
import type { JobState } from './job-state.js';
import { isFinal } from './job-state.js';
import type { JobStore } from './job-store.port.js';
import { getJob } from './query-jobs.js';
import type { Viewer } from './view-job.js';

export interface LogsQuery {
  stream: 'stdout' | 'stderr';
  offset: number;
  /** Bytes at most in this page. */
  length: number;
  /** Task index of an array job (default 0). */
  index?: number;
}

export interface LogsPage {
  jobId: string;
  stream: 'stdout' | 'stderr';
  index?: number;
  offset: number;
  /** Pass as `offset` for the next page. */
  nextOffset: number;
  /** The file's size in bytes as of this read (it grows while the task runs). */
  size: number;
  /** True when the job is final and this page reaches the end of the file: nothing more will come. */
  complete: boolean;
  state: JobState;
  /** UTF-8 text of the bytes [offset, nextOffset); a character cut by the page end moves to the next page. */
  text: string;
}

/** Length of the longest prefix of `data` that does not end inside a UTF-8 sequence. */
export function utf8Boundary(data: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const b = data[data.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? data.length - back : data.length;
  }
  return data.length;
}

export async function readJobLogs(deps: { store: JobStore; batch: () => Pick<BatchPort, 'readTaskFile'> }, id: string, viewer: Viewer, q: LogsQuery): Promise<LogsPage> {
  const job = await getJob(deps.store, id, viewer);
  const size = job.spec.array?.size;
  if (size === undefined && q.index !== undefined) {
    throw new JobsError('LOGS_INVALID', `job ${id} is not an array job; leave out index`, { errors: [{ field: 'index', message: 'only for array jobs' }] });
  }
  if (size !== undefined && q.index !== undefined && q.index >= size) {
    throw new JobsError('LOGS_INVALID', `job ${id} has tasks 0-${size - 1}; index ${q.index} does not exist`, { errors: [{ field: 'index', message: `must be at most ${size - 1}` }] });
  }
  const index = size !== undefined ? (q.index ?? 0) : undefined;
  const base = { jobId: id, stream: q.stream, ...(index !== undefined ? { index } : {}), offset: q.offset, state: job.state };
  const empty: LogsPage = { ...base, nextOffset: q.offset, size: 0, complete: isFinal(job.state), text: '' };
  if (!job.batch) return empty;
  const file = await deps.batch().readTaskFile(job.batch.jobId, taskIdOf(job.id, index), `${q.stream}.txt`, q.offset, q.length);
  if (!file) return empty;
  const cut = file.data.length < q.length || q.offset + file.data.length >= file.size ? file.data.length : utf8Boundary(file.data);
  const nextOffset = q.offset + cut;
  return { ...base, nextOffset, size: file.size, complete: isFinal(job.state) && nextOffset >= file.size, text: new TextDecoder().decode(file.data.subarray(0, cut)) };
}
