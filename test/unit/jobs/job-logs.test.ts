// A job's stdout/stderr, paged by byte offset: which task's file is read, where a page ends (never inside a UTF-8
// character, except at the end of the file), and when the reader has everything.
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobsError } from '../../../src/jobs/errors.js';
import { readJobLogs, utf8Boundary } from '../../../src/jobs/job-logs.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { MemoryJobStore, RecordingBatch } from './memory-ports.js';
import { JOB_ID, jobInState } from './job-records.js';

describe('utf8Boundary', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it.each([
    ['empty', bytes(), 0],
    ['ASCII', bytes(0x61, 0x62), 2],
    ['a whole 2-byte é', bytes(0x61, 0xc3, 0xa9), 3],
    ['é cut after its first byte', bytes(0x61, 0xc3), 1],
    ['lowest lead byte shape 0xc0 (110xxxxx, a 2-byte lead) at the end', bytes(0x61, 0xc0), 1],
    ['a whole 3-byte €', bytes(0x61, 0xe2, 0x82, 0xac), 4],
    ['€ cut after 2 bytes', bytes(0x61, 0xe2, 0x82), 1],
    ['€ cut after 1 byte', bytes(0x61, 0xe2), 1],
    ['अ (lead byte 0xe0) cut after 2 bytes', bytes(0x61, 0xe0, 0xa4), 1],
    ['a whole 4-byte 😀', bytes(0x61, 0xf0, 0x9f, 0x98, 0x80), 5],
    ['😀 cut after 3 bytes', bytes(0x61, 0xf0, 0x9f, 0x98), 1],
    ['😀 cut after 1 byte', bytes(0xf0), 0],
  ])('%s: keeps %#', (_what, data, expected) => {
    expect(utf8Boundary(data)).toBe(expected);
  });
});

const id = JOB_ID;
const record = jobInState;
const ann = { user: 'ann', isAdmin: false };
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: JobsError) => ({ code: e.code, message: e.message, errors: e.errors }));

let store: MemoryJobStore;
let batch: RecordingBatch;
const read = (q: Partial<Parameters<typeof readJobLogs>[3]> = {}) => readJobLogs({ store, batch: () => batch }, id, ann, { stream: 'stdout', offset: 0, length: 100, ...q });
const put = async (r: JobRecord) => {
  await store.create(r);
};
beforeEach(() => {
  store = new MemoryJobStore();
  batch = new RecordingBatch();
});

describe('readJobLogs', () => {
  it("reads the task's file of the stream asked for, and says the job is complete only when final and read to the end", async () => {
    await put(record('succeeded'));
    batch.files.set(`job-${id}/stdout.txt`, 'hello world');
    batch.files.set(`job-${id}/stderr.txt`, 'oops');
    expect(await read({ length: 5 })).toEqual({ jobId: id, stream: 'stdout', offset: 0, nextOffset: 5, size: 11, complete: false, state: 'succeeded', text: 'hello' });
    expect(await read({ offset: 5 })).toEqual({ jobId: id, stream: 'stdout', offset: 5, nextOffset: 11, size: 11, complete: true, state: 'succeeded', text: ' world' });
    expect(await read({ stream: 'stderr' })).toMatchObject({ stream: 'stderr', text: 'oops', complete: true });
  });

  it('is never complete while the job runs, even at the end of the file', async () => {
    await put(record('running'));
    batch.files.set(`job-${id}/stdout.txt`, 'hello');
    expect(await read()).toMatchObject({ nextOffset: 5, size: 5, complete: false, text: 'hello' });
  });

  it('moves a character cut by the page end to the next page', async () => {
    await put(record('succeeded'));
    batch.files.set(`job-${id}/stdout.txt`, 'héllo');
    expect(await read({ length: 2 })).toMatchObject({ nextOffset: 1, text: 'h', complete: false });
    expect(await read({ offset: 1, length: 2 })).toMatchObject({ nextOffset: 3, text: 'é' });
  });

  it('gives a page that reaches the end of the file whole, so a final job with a cut last character completes', async () => {
    await put(record('failed'));
    const file = Buffer.from('hé').subarray(0, 2);
    const truncated = new RecordingBatch();
    truncated.readTaskFile = async () => ({ size: 2, data: file });
    const page = await readJobLogs({ store, batch: () => truncated }, id, ann, { stream: 'stdout', offset: 0, length: 2 });
    expect(page).toMatchObject({ nextOffset: 2, size: 2, complete: true, text: 'h\ufffd' });
  });

  it('reads task 0 of an array job by default, and the task asked for up to the last index', async () => {
    await put(record('running', { batch: { poolId: 'cpu', jobId: 'dsvmpool-cpu-202611', taskId: '' } }, { array: { size: 3 } }));
    batch.files.set(`job-${id}-0/stdout.txt`, 'zero');
    batch.files.set(`job-${id}-2/stdout.txt`, 'two');
    expect(await read()).toMatchObject({ index: 0, text: 'zero' });
    expect(await read({ index: 2 })).toMatchObject({ index: 2, text: 'two' });
  });

  it('refuses an index past the last task, or any index on a job that is not an array, saying which field', async () => {
    await put(record('running', {}, { array: { size: 3 } }));
    expect(await codeOf(read({ index: 3 }))).toEqual({
      code: 'LOGS_INVALID',
      message: `job ${id} has tasks 0-2; index 3 does not exist`,
      errors: [{ field: 'index', message: 'must be at most 2' }],
    });
    store.rows.clear();
    await put(record('running'));
    expect(await codeOf(read({ index: 0 }))).toEqual({ code: 'LOGS_INVALID', message: `job ${id} is not an array job; leave out index`, errors: [{ field: 'index', message: 'only for array jobs' }] });
  });

  it('answers an empty page, without index for a single job, before the job reaches Batch or when the node has no file', async () => {
    await put(record('queued', { batch: undefined, pool: undefined }));
    batch.files.set(`job-${id}/stdout.txt`, 'not yet');
    expect(await read({ offset: 7 })).toStrictEqual({ jobId: id, stream: 'stdout', offset: 7, nextOffset: 7, size: 0, complete: false, state: 'queued', text: '' });
    store.rows.clear();
    await put(record('cancelled', { batch: undefined }));
    expect(await read()).toMatchObject({ size: 0, complete: true, text: '' });
    store.rows.clear();
    batch.files.clear();
    await put(record('succeeded'));
    expect(await read()).toEqual({ jobId: id, stream: 'stdout', offset: 0, nextOffset: 0, size: 0, complete: true, state: 'succeeded', text: '' });
  });

  it("hides another user's job like a missing one", async () => {
    await put(record('running', { user: 'bob' }));
    expect(await codeOf(read())).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
