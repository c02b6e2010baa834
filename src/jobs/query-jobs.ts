// Get and list jobs as a caller may see them. A user lists their own partition (a range query, newest first);
// an admin may name any user, or list everyone through the `all` index.
import { JobsError } from './errors.js';
import type { JobRecord } from './job-record.js';
import { isJobId } from './job-record.js';
import type { JobState } from './job-state.js';
import type { JobStore } from './job-store.port.js';
import { decodePageToken, encodePageToken, type PageScope } from './page-token.js';
import { visibleTo, type Viewer } from './view-job.js';

export async function getJob(store: JobStore, id: string, viewer: Viewer): Promise<JobRecord> {
  const stored = isJobId(id) ? await store.get(id) : undefined;
  // Someone else's job is reported exactly like a missing one: ids do not leak.
  if (!stored || !visibleTo(stored.record, viewer)) throw new JobsError('JOB_NOT_FOUND', `no job ${id} that you can see`);
  return stored.record;
}

export interface ListJobsInput {
  state?: JobState;
  pool?: string;
  user?: string;
  top: number;
  continuationToken?: string;
}

export interface ListJobsResult {
  items: JobRecord[];
  continuationToken?: string;
}

export async function listJobs(store: JobStore, input: ListJobsInput, viewer: Viewer): Promise<ListJobsResult> {
  // `user=me` is the caller, whoever that is (the CLI's default listing, admins included); `user=*` is everyone, and
  // only admins may ask for it (a user's `--all` is refused, not silently answered with their own jobs).
  const named = input.user?.toLowerCase();
  if (named === '*' && !viewer.isAdmin) {
    throw new JobsError('LIST_FORBIDDEN', `only admins may list everyone's jobs (user=*); leave out user= for your own, ${viewer.user}`);
  }
  const user = named === 'me' ? viewer.user : named === '*' ? undefined : (named ?? (viewer.isAdmin ? undefined : viewer.user));
  if (user !== undefined && user !== viewer.user && !viewer.isAdmin) {
    throw new JobsError('LIST_FORBIDDEN', `you may list only your own jobs; leave out user= or set it to ${viewer.user}`);
  }
  const scope: PageScope = { user, state: input.state, pool: input.pool };
  let after: string | undefined;
  if (input.continuationToken) {
    after = decodePageToken(input.continuationToken, scope);
    if (!after) throw new JobsError('PAGE_TOKEN_INVALID', 'continuationToken is malformed or belongs to another query; start again without it');
  }
  const query = { state: input.state, pool: input.pool, top: input.top, after };
  const page = user !== undefined ? await store.listByUser(user, query) : await store.listAll(query);
  return { items: page.items, continuationToken: page.after ? encodePageToken(page.after, scope) : undefined };
}
