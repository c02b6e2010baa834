// The one way a record changes: decide from what was read, write on its ETag, re-read and re-decide a lost race
// (at most 5 writes), and never write a transition the state table forbids.
import { describe, expect, it } from 'vitest';
import { JobsError } from '../../../src/jobs/errors.js';
import { updateJob } from '../../../src/jobs/update-job.js';
import { JOB_ID, jobInState } from './job-records.js';
import { MemoryJobStore } from './memory-ports.js';

/** A store holding one running job whose next `conflicts` replaces lose a race (another writer's ETag). */
async function racingStore(conflicts: number, otherError?: JobsError) {
  const store = new MemoryJobStore();
  await store.create(jobInState('running'));
  const replace = store.replace.bind(store);
  const tries = { replace: 0 };
  store.replace = async (current, next) => {
    tries.replace++;
    if (otherError) throw otherError;
    if (tries.replace <= conflicts) store.poke(JOB_ID, { retryCount: tries.replace });
    return replace(current, next);
  };
  return { store, tries };
}

const succeed = (cur: ReturnType<typeof jobInState>) => ({ ...cur, state: 'succeeded' as const });

describe('updateJob', () => {
  it('re-reads and re-decides after each lost race, and writes on the fifth attempt', async () => {
    const { store, tries } = await racingStore(4);
    const seen: (number | undefined)[] = [];
    const out = await updateJob(store, JOB_ID, (cur) => (seen.push(cur.retryCount), succeed(cur)));
    expect(out).toMatchObject({ changed: true, stored: { record: { state: 'succeeded', retryCount: 4 } } });
    expect(seen).toEqual([undefined, 1, 2, 3, 4]);
    expect(tries.replace).toBe(5);
  });

  it('gives up with CONCURRENT_UPDATE after 5 lost races', async () => {
    const { store, tries } = await racingStore(5);
    await expect(updateJob(store, JOB_ID, succeed)).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE' });
    expect(tries.replace).toBe(5);
    expect(store.rows.get(JOB_ID)!.record.state).toBe('running');
  });

  it('passes on any other write error at once', async () => {
    const { store, tries } = await racingStore(0, new JobsError('STORAGE_UNAVAILABLE', 'down'));
    await expect(updateJob(store, JOB_ID, succeed)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(tries.replace).toBe(1);
  });

  it('writes nothing for a transition the state table forbids (running → queued)', async () => {
    const { store, tries } = await racingStore(0);
    const before = store.rows.get(JOB_ID)!;
    const out = await updateJob(store, JOB_ID, (cur) => ({ ...cur, state: 'queued' }));
    expect(out).toEqual({ stored: before, changed: false });
    expect(tries.replace).toBe(0);
  });

  it('answers undefined for a job that is not there', async () => {
    expect(await updateJob(new MemoryJobStore(), JOB_ID, succeed)).toBeUndefined();
  });
});
