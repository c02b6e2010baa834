// Getting and listing jobs as a caller may see them: own jobs, an admin's wider view, and continuation tokens bound
// to their query.
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobsError } from '../../../src/jobs/errors.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { getJob, listJobs } from '../../../src/jobs/query-jobs.js';
import { MemoryJobStore } from './memory-ports.js';

const ann = { user: 'ann', isAdmin: false };
const admin = { user: 'root', isAdmin: true };
let n = 0;
const job = (user: string, minute: number): JobRecord => ({
  id: `00000000000a-${String(9_000_000_000_000 - minute * 60_000).padStart(13, '0')}-${String(n++).padStart(6, '0')}`,
  user,
  name: `${user}-${minute}`,
  spec: jobSpecSchema.parse({ name: 'j', commandLine: 'x' }),
  specHash: 'h',
  state: 'queued',
  submittedAt: new Date(Date.UTC(2026, 10, 2, 8, minute)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 10, 2, 8, minute)).toISOString(),
  dispatchAttempts: 0,
});

const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: JobsError) => `${e.code}: ${e.message}`);

let store: MemoryJobStore;
let anns: JobRecord[];
let bobs: JobRecord;
beforeEach(async () => {
  store = new MemoryJobStore();
  anns = [job('ann', 1), job('ann', 2)];
  bobs = job('bob', 3);
  for (const r of [...anns, bobs]) {
    await store.create(r);
    await store.addIndexes(r);
  }
});
const names = (r: { items: JobRecord[] }) => r.items.map((j) => j.name);

describe('getJob', () => {
  it("gives the caller their own job, and an admin anyone's", async () => {
    expect((await getJob(store, anns[0]!.id, ann)).name).toBe('ann-1');
    expect((await getJob(store, bobs.id, admin)).name).toBe('bob-3');
  });

  it("reports someone else's job exactly like a missing or malformed id", async () => {
    const missing = '00000000000a-0000000000001-zzzzzz';
    expect(await codeOf(getJob(store, bobs.id, ann))).toBe(`JOB_NOT_FOUND: no job ${bobs.id} that you can see`);
    expect(await codeOf(getJob(store, missing, ann))).toBe(`JOB_NOT_FOUND: no job ${missing} that you can see`);
    expect(await codeOf(getJob(store, 'x', admin))).toBe('JOB_NOT_FOUND: no job x that you can see');
  });
});

describe('listJobs', () => {
  it('lists a user their own jobs, newest first, whether user= is left out, "me", or their own name in any case', async () => {
    for (const user of [undefined, 'me', 'ME', 'Ann']) expect(names(await listJobs(store, { top: 10, user }, ann))).toEqual(['ann-2', 'ann-1']);
  });

  it("refuses a user another user's listing, or everyone's, saying what to do", async () => {
    expect(await codeOf(listJobs(store, { top: 10, user: 'bob' }, ann))).toBe('LIST_FORBIDDEN: you may list only your own jobs; leave out user= or set it to ann');
    expect(await codeOf(listJobs(store, { top: 10, user: '*' }, ann))).toBe("LIST_FORBIDDEN: only admins may list everyone's jobs (user=*); leave out user= for your own, ann");
  });

  it('lists an admin everyone by default or with *, one user when named, and their own with "me"', async () => {
    expect(names(await listJobs(store, { top: 10 }, admin))).toEqual(['bob-3', 'ann-2', 'ann-1']);
    expect(names(await listJobs(store, { top: 10, user: '*' }, admin))).toEqual(['bob-3', 'ann-2', 'ann-1']);
    expect(names(await listJobs(store, { top: 10, user: 'BOB' }, admin))).toEqual(['bob-3']);
    expect(names(await listJobs(store, { top: 10, user: 'me' }, admin))).toEqual([]);
  });

  it('pages with a continuation token that only its own query accepts', async () => {
    const first = await listJobs(store, { top: 1 }, ann);
    expect(names(first)).toEqual(['ann-2']);
    const second = await listJobs(store, { top: 1, continuationToken: first.continuationToken }, ann);
    expect(names(second)).toEqual(['ann-1']);
    expect(second.continuationToken).toBeUndefined();
    const refused = 'PAGE_TOKEN_INVALID: continuationToken is malformed or belongs to another query; start again without it';
    expect(await codeOf(listJobs(store, { top: 1, continuationToken: first.continuationToken }, admin))).toBe(refused);
    expect(await codeOf(listJobs(store, { top: 1, state: 'running', continuationToken: first.continuationToken }, ann))).toBe(refused);
    expect(await codeOf(listJobs(store, { top: 1, pool: 'gpu', continuationToken: first.continuationToken }, ann))).toBe(refused);
    expect(await codeOf(listJobs(store, { top: 1, continuationToken: 'garbage' }, ann))).toBe(refused);
  });

  it('passes the state and pool filters to the store', async () => {
    expect(names(await listJobs(store, { top: 10, state: 'running' }, ann))).toEqual([]);
    expect(names(await listJobs(store, { top: 10, state: 'queued' }, ann))).toEqual(['ann-2', 'ann-1']);
    expect(names(await listJobs(store, { top: 10, pool: 'gpu' }, admin))).toEqual([]);
  });
});
