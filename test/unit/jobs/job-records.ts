// A job record in a given state, dispatched to the `cpu` pool's Batch job of November 2026, for the unit tests of the
// use cases that read one (cancel, logs, reconcile). `spec` patches the job spec, `patch` the record.
import type { JobRecord } from '../../../src/jobs/job-record.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';

/** The id of the record `jobInState` makes. */
export const JOB_ID = '00000000000a-0000000000001-000001';

export function jobInState(state: JobState, patch: Partial<JobRecord> = {}, spec: Record<string, unknown> = {}): JobRecord {
  return {
    id: JOB_ID,
    user: 'ann',
    name: 'j',
    spec: jobSpecSchema.parse({ name: 'j', commandLine: 'x', ...spec }),
    specHash: 'h',
    state,
    pool: 'cpu',
    batch: { poolId: 'cpu', jobId: 'dsvmpool-cpu-202611', taskId: `job-${JOB_ID}` },
    submittedAt: '2026-11-02T08:00:00Z',
    updatedAt: '2026-11-02T08:00:00Z',
    dispatchAttempts: 0,
    ...patch,
  };
}

/** The id of the record `sweepJob` makes. */
export const SWEEP_ID = '0123456789ab-8234567890123-abc123';

/**
 * Ada's job "sweep" (`python run.py`) submitted 2026-12-01 09:00, not yet dispatched, in `state`: for the tests of
 * what is built from a record (its API view, its Batch task). `spec` patches the job spec, `patch` the record.
 */
export function sweepJob(state: JobState, patch: Partial<JobRecord> = {}, spec: Record<string, unknown> = {}): JobRecord {
  return {
    id: SWEEP_ID,
    user: 'ada',
    name: 'sweep',
    spec: jobSpecSchema.parse({ name: 'sweep', commandLine: 'python run.py', ...spec }),
    specHash: 'h',
    state,
    submittedAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    dispatchAttempts: 0,
    ...patch,
  };
}

const T0 = new Date('2026-11-02T08:00:00Z');
let serial = 0;

/**
 * A one-GPU job of ann's submitted `minute` minutes after 08:00 on 2 November 2026, with an id that sorts as the job
 * store's (newer first) and a fresh serial; on the `gpu` pool unless queued. For the admission and fair-share tests.
 */
export function gpuJobAt(state: JobState, patch: Partial<JobRecord> = {}, spec: Record<string, unknown> = {}, minute = 0): JobRecord {
  const parsed = jobSpecSchema.parse({ name: 'prep', commandLine: 'x', resources: { gpus: 1 }, ...spec });
  return {
    id: `00000000000a-${String(9_999_999_999_999 - T0.getTime() - minute * 60_000).padStart(13, '0')}-${String(serial++).padStart(6, '0')}`,
    user: 'ann',
    name: parsed.name,
    spec: parsed,
    specHash: 'h',
    state,
    pool: state === 'queued' ? undefined : 'gpu',
    submittedAt: new Date(T0.getTime() + minute * 60_000).toISOString(),
    updatedAt: T0.toISOString(),
    dispatchAttempts: 0,
    ...patch,
  };
}
