// Submit: the record (with its Idempotency-Key row, one transaction) and, beside it, the `active` index row that sync
// reads (so a record storage writes after the caller gave up is still found), then the queue message. The `all` row
// (admins' listing) is written by dispatch when it first takes the job. A job is accepted (202) only once it is
// durable and either enqueued or indexed; a crash before that answers no 202, so no accepted job can be stranded.
// Idempotency-Key, Powertools-style: the key row sits in the record's partition and is inserted in the same
// transaction; same key + same body → the same job, same key + another body → IDEMPOTENCY_KEY_REUSED (caught by the payload hash); a key expires after 24 hours.
import { randomBytes } from 'node:crypto';
import type { BatchPolicySource } from './batch-policy-source.port.js';
import { JobsError } from './errors.js';
import type { JobQueue } from './job-queue.port.js';
import type { JobRecord, StoredJob } from './job-record.js';
import { keysOf, newJobId } from './job-record.js';
import type { JobSpec } from './job-spec.js';
import type { IdempotencyRow, JobStore } from './job-store.port.js';
import type { PoolCatalogSet, PoolSource } from './pool-catalog.js';
import { routeJob } from './route-job.js';
import { sha256Hex, specHash, userKeyOf } from './spec-hash.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** How long a submit waits for the Batch pool facts before it accepts the job unchecked (dispatch checks it). */
export const DEFAULT_POOL_FACTS_WAIT_MS = 2_000;

export interface SubmitDeps {
  store: JobStore;
  queue: JobQueue;
  /** The batch policies, for a pinned pool's check; without them neither pool check runs. */
  policies?: BatchPolicySource;
  /** The pool catalog dispatch routes with (Batch facts, cached); without it the fit check is left to dispatch. */
  pools?: PoolSource;
  /** How long to wait for the catalog, in ms; default DEFAULT_POOL_FACTS_WAIT_MS. */
  poolFactsWaitMs?: number;
}

export interface SubmitInput {
  user: string;
  spec: JobSpec;
  idempotencyKey?: string;
  now: Date;
}

export interface SubmitResult {
  job: JobRecord;
  /** True when an earlier submit with the same Idempotency-Key and body made this job. */
  replayed: boolean;
}

function randomSuffix(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(6), (b) => alphabet[b % 36]).join('');
}

/**
 * Stores a job and enqueues it. Refuses, storing nothing: IDEMPOTENCY_KEY_REUSED (a key used for another body),
 * DEPENDENCY_INVALID (a `dependsOn` entry that is not the caller's or can never succeed), ROUTE_UNKNOWN_POOL (a job
 * pinned to a pool that has no enabled, valid batch policy; checked only when `deps.policies` is given),
 * ROUTE_IMPOSSIBLE / ROUTE_NO_POOL (no node of the pinned pool, or of any pool `auto` may choose, can ever hold the
 * job; checked only when `deps.pools` is given and can describe the pools, see checkFits). Storage failures throw
 * the store's STORAGE_* errors.
 */
export async function submitJob(deps: SubmitDeps, input: SubmitInput): Promise<SubmitResult> {
  const { store, queue } = deps;
  const payloadHash = specHash(input.spec);
  const keyHash = input.idempotencyKey ? sha256Hex(input.idempotencyKey) : undefined;
  let expiredEtag: string | undefined;

  if (keyHash) {
    const existing = await store.getIdempotency(input.user, keyHash);
    if (existing && !isExpired(existing, input.now)) return replay(deps, existing, payloadHash, input.idempotencyKey!);
    expiredEtag = existing?.etag;
  }

  await Promise.all([checkDependsOn(store, input.user, input.spec.dependsOn ?? []), deps.policies ? checkPool(deps, input.spec) : undefined]);
  const now = input.now.toISOString();
  const record: JobRecord = {
    id: newJobId(userKeyOf(input.user), input.now, randomSuffix()),
    user: input.user,
    name: input.spec.name,
    spec: input.spec,
    specHash: payloadHash,
    state: 'queued',
    submittedAt: now,
    updatedAt: now,
    idempotencyKey: input.idempotencyKey,
    dispatchAttempts: 0,
  };
  // The `active` index row goes out with the record, at the same time (one round trip, as a raw insert; the `all` row
  // for admins' listing is left to dispatch, to keep a submit's writes few): whatever happens after,
  // sync's sweeper finds the record through its `active` row (and enqueues it after DSVMPOOL_JOBS_REQUEUE_MINUTES when
  // no message came), and admins list it at once. A record written late by storage after the caller was told 503 (a
  // request abandoned on the client can still be served) is therefore a job that runs, never one stranded in
  // `queued`; an index row whose record never came is dropped by sync.
  const [indexed, written] = await Promise.allSettled([
    store.addIndexes(record, 'active'),
    store.create(record, keyHash ? { keyHash, payloadHash, replaceIdempotencyEtag: expiredEtag } : undefined),
  ]);
  if (written.status === 'rejected') throw written.reason;
  const created = written.value;
  if (!created.created) return replay(deps, created.existing, payloadHash, input.idempotencyKey!);
  try {
    await queue.enqueue(record.id);
  } catch (error) {
    // No message: the `active` index row lets sync's sweeper find the queued record and enqueue it later. Without that
    // row too, nothing would ever find the job: the caller is told it failed.
    if (indexed.status === 'rejected') throw error;
  }
  // The record and its message are stored; dispatch writes both index rows (an idempotent upsert).
  return { job: created.stored.record, replayed: false };
}

/**
 * Dependencies must be the caller's own existing jobs that can still succeed. A new job can only name jobs that
 * exist before it, so dependencies can never form a cycle.
 */
async function checkDependsOn(store: JobStore, user: string, ids: string[]): Promise<void> {
  const mine = userKeyOf(user);
  const problems: { field: string; message: string }[] = [];
  await Promise.all(
    ids.map(async (id, i) => {
      const field = `dependsOn.${i}`;
      const stored = keysOf(id)?.userKey === mine ? await store.get(id) : undefined;
      if (!stored || stored.record.user !== user) problems.push({ field, message: `no job ${id} of yours` });
      else if (stored.record.state === 'failed' || stored.record.state === 'cancelled') problems.push({ field, message: `job ${id} (${stored.record.name}) already ${stored.record.state}; it can never succeed` });
    }),
  );
  if (problems.length) {
    problems.sort((a, b) => a.field.localeCompare(b.field, 'en', { numeric: true }));
    throw new JobsError('DEPENDENCY_INVALID', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: problems });
  }
}

/** The pinned pool's name first (ROUTE_UNKNOWN_POOL), then, with a catalog, whether the job fits (checkFits). */
async function checkPool(deps: SubmitDeps, spec: JobSpec): Promise<void> {
  await checkPinnedPool(deps.policies!, spec.pool);
  if (deps.pools) await checkFits(deps.pools, spec, deps.poolFactsWaitMs ?? DEFAULT_POOL_FACTS_WAIT_MS);
}

/**
 * The rule dispatch routes by (routeJob), run at submit on the pool catalog dispatch uses, so a job that can never
 * fit is told now instead of failing at dispatch. It refuses only on facts it has: when the catalog cannot be read
 * within `waitMs` (Batch throttling, 5xx, unreachable) the job is accepted and dispatch decides, so a submit never
 * depends on Batch; a pinned pool that Batch does not have yet is accepted too, and so is an `auto` job while any
 * enabled pool is undescribed (it might be the one that fits), and so is one when no Batch pool is configured at all
 * (ROUTE_NO_POOL is refused only when some other kind of pool exists). A refusal is confirmed on a fresh read first: the
 * policies are read again (a policy saved a moment ago counts); Batch facts, like dispatch's, are re-read only for a
 * pool seen missing, and are otherwise as cached (refreshed by each sync tick in the same process, else after the
 * catalog's TTL, 10 minutes).
 */
async function checkFits(pools: PoolSource, spec: JobSpec, waitMs: number): Promise<void> {
  const refusal = async (fresh: boolean) => {
    const set = await catalogWithin(pools, waitMs, fresh);
    if (!set || (spec.pool === 'auto' && set.unusable.length > 0)) return undefined;
    const route = routeJob(spec, set.pools, set.unusable);
    if (route.ok) return undefined;
    // No Batch pool at all: a deployment whose job service is not set up (or a stack of VM pools only); the job is
    // accepted and dispatch fails it with ROUTE_NO_POOL, as before submit checked fits.
    if (route.code === 'ROUTE_NO_POOL') return set.pools.length > 0 ? route : undefined;
    return route.code === 'ROUTE_IMPOSSIBLE' ? route : undefined;
  };
  if (!(await refusal(false))) return;
  const route = await refusal(true);
  if (route) throw new JobsError(route.code, route.reason, { errors: route.errors });
}

/** The catalog, or undefined when it could not be read (any error) within `waitMs`; a late read still fills its cache. */
async function catalogWithin(pools: PoolSource, waitMs: number, fresh: boolean): Promise<PoolCatalogSet | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
  try {
    return await Promise.race([pools.list({ fresh }).catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A job pinned to a pool (not `auto`) must name an enabled batch policy whose row is valid, or it could only fail at
 * dispatch. Read from the cached policy list first and, when the name is not there, fresh (a pool an admin saved
 * seconds ago counts). Whether a node of it fits the job is checkFits's question.
 */
async function checkPinnedPool(policies: BatchPolicySource, pool: string): Promise<void> {
  if (pool === 'auto') return;
  let set = await policies.list();
  if (!set.policies.some((p) => p.name === pool && p.enabled)) set = await policies.list({ fresh: true });
  const p = set.policies.find((q) => q.name === pool);
  if (p?.enabled) return;
  const invalid = set.invalid.find((q) => q.name === pool);
  const enabled = set.policies.filter((q) => q.enabled).map((q) => q.name);
  const known = enabled.length ? `enabled Batch pools: ${enabled.join(', ')}` : 'no Batch pool is enabled';
  const why = invalid
    ? `pool "${pool}"'s batch policy is invalid (${invalid.problems.join('; ')}), so it takes no jobs until an admin fixes it`
    : p
      ? `pool "${pool}"'s batch policy is disabled (enabled: false)`
      : set.vmPools?.includes(pool)
        ? `pool "${pool}" is a VM pool for interactive sessions (\`dsvm-pool connect ${pool}\` or \`dsvm-pool ssh ${pool}\`), not a Batch pool for jobs`
        : `there is no Batch pool "${pool}" (no policy of kind batch by that name)`;
  throw new JobsError('ROUTE_UNKNOWN_POOL', `${why}; ${known}. Use "auto" or one of those.`, { errors: [{ field: 'pool', message: why }] });
}

function isExpired(row: IdempotencyRow, now: Date): boolean {
  return now.getTime() - Date.parse(row.createdAt) >= IDEMPOTENCY_TTL_MS;
}

async function replay(deps: { store: JobStore; queue: JobQueue }, row: IdempotencyRow, payloadHash: string, key: string): Promise<SubmitResult> {
  if (row.payloadHash !== payloadHash) {
    throw new JobsError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key "${key}" was already used for job ${row.jobId} with a different body. Use a new key for a different job, or resend the original body.`,
    );
  }
  const stored: StoredJob | undefined = await deps.store.get(row.jobId);
  if (!stored) throw new JobsError('JOB_NOT_FOUND', `job ${row.jobId} of Idempotency-Key "${key}" is gone`);
  // A replay of a job whose enqueue may have been lost: enqueue again (dispatch is idempotent).
  if (stored.record.state === 'queued') await deps.queue.enqueue(row.jobId).catch(() => undefined);
  return { job: stored.record, replayed: true };
}
