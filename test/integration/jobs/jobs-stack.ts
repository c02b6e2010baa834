// The whole app for job-service integration tests: the test stack (Azurite + emulator + host) with the emulator's
// `gpu` and `cpu` Batch pools, their batch policy rows, and small helpers that drive it through HTTP and the
// sync timer in simulated time.
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { expect } from 'vitest';
import { createBatchClient, type BatchClient } from '../../../src/azure/batch/batch-client.js';
import { createJobStore } from '../../../src/azure/job-store.js';
import { newJobId, type JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import type { JobStore } from '../../../src/jobs/job-store.port.js';
import { specHash, userKeyOf } from '../../../src/jobs/spec-hash.js';
import type { JobView } from '../../../src/jobs/job-view.js';
import { ADMIN_ROLE, authHeaders } from '../../support/identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

export { ADMIN_ROLE };

export interface JobsStack extends TestStack {
  store: JobStore;
  jobsTable: TableClient;
  jobsQueue: QueueClient;
  poisonQueue: QueueClient;
  batch: BatchClient;
  api(method: string, path: string, options?: { user?: string; admin?: boolean; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  submit(spec: Record<string, unknown>, user?: string, headers?: Record<string, string>): Promise<string>;
  job(id: string, user?: string): Promise<JobView>;
  /** Moves simulated time and runs the sync timer once. */
  tick(seconds?: number): Promise<void>;
  /** Ticks until the job reaches one of the states (or fails after `maxTicks`). */
  tickUntil(id: string, states: string[], maxTicks?: number): Promise<JobView>;
  waitFor(id: string, states: string[]): Promise<JobView>;
  tableRows(): Promise<number>;
}

export const testCredential = { getToken: async () => ({ token: 'emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

/** `gpuQuotaNodes`: the GPU nodes the emulated core quota allows (a larger resize fails with AccountCoreQuotaReached). */
export async function startJobsStack(env: Record<string, string> = {}, options: { start?: Date; gpuQuotaNodes?: number } = {}): Promise<JobsStack> {
  const start = options.start ?? new Date('2026-11-02T08:00:00Z');
  const stack = await startTestStack({ emulator: { clock: { start } }, env: { DSVMPOOL_JOBS_REQUEUE_MINUTES: '5', ...env } });
  const conn = stack.azurite.connectionString;
  stack.emulator.batch.createPool({ id: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, nodeStartSeconds: 90, maxDedicatedNodes: options.gpuQuotaNodes });
  stack.emulator.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, nodeStartSeconds: 90 });
  const policies = TableClient.fromConnectionString(conn, 'policies', { allowInsecureConnection: true });
  for (const [name, row] of Object.entries(demoBatchPolicies())) await policies.upsertEntity({ partitionKey: 'pool', rowKey: name, ...row });
  const jobsTable = TableClient.fromConnectionString(conn, 'jobs', { allowInsecureConnection: true });
  const batch = createBatchClient(stack.emulator.url, testCredential, { tlsOptions: { ca: stack.emulator.caPem }, retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 } });

  const api: JobsStack['api'] = async (method, path, o = {}) => {
    const user = o.user ?? 'ann';
    const headers: Record<string, string> = user === '' ? {} : { ...(await authHeaders(stack, user, o.admin ? [ADMIN_ROLE] : undefined)) };
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${stack.host.url}/api${path}`, { method, headers: { ...headers, ...o.headers }, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const job = async (id: string, user = 'ann') => {
    const r = await api('GET', `/jobs/${id}`, { user });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as JobView;
  };
  const tick = async (seconds = 60) => {
    stack.emulator.clock.advance(seconds * 1000);
    await stack.host.runTimer('jobsync');
  };
  return Object.assign(stack, {
    store: createJobStore(jobsTable),
    jobsTable,
    jobsQueue: new QueueClient(conn, 'jobs'),
    poisonQueue: new QueueClient(conn, 'jobs-poison'),
    batch,
    api,
    job,
    tick,
    async submit(spec: Record<string, unknown>, user = 'ann', headers: Record<string, string> = {}) {
      const r = await api('POST', '/jobs', { user, body: spec, headers });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      return r.body.id as string;
    },
    async waitFor(id: string, states: string[]) {
      let last: JobView | undefined;
      await pollUntil(async () => states.includes((last = (await api('GET', `/jobs/${id}`, { user: 'root', admin: true })).body as JobView).state), `job ${id} to be ${states.join('|')}`);
      return last!;
    },
    async tickUntil(id: string, states: string[], maxTicks = 30) {
      for (let i = 0; i < maxTicks; i++) {
        let j = await api('GET', `/jobs/${id}`, { user: 'root', admin: true });
        // Dispatch runs off the queue in real time (seconds); a tick is a simulated minute. Let it run first.
        if (!states.includes(j.body.state) && (j.body.state === 'queued' || j.body.state === 'dispatching')) {
          await pollUntil(async () => !/^(queued|dispatching)$/.test((j = await api('GET', `/jobs/${id}`, { user: 'root', admin: true })).body.state), `job ${id} to leave dispatch`);
        }
        if (states.includes(j.body.state)) return j.body as JobView;
        await tick();
      }
      const j = await api('GET', `/jobs/${id}`, { user: 'root', admin: true });
      throw new Error(`job ${id} is ${j.body.state} after ${maxTicks} ticks, wanted ${states.join('|')}: ${JSON.stringify(j.body)}`);
    },
    async tableRows() {
      let n = 0;
      for await (const _ of jobsTable.listEntities()) n++;
      return n;
    },
  });
}

/** The batch policy rows for the emulator's pools (also what the demo seeds). */
export function demoBatchPolicies(): Record<string, Record<string, unknown>> {
  return {
    gpu: { kind: 'batch', poolId: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, minNodes: 0, maxNodes: 2, idleMinutesBeforeScaleDown: 5 },
    cpu: { kind: 'batch', poolId: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, minNodes: 0, maxNodes: 2, idleMinutesBeforeScaleDown: 5 },
  };
}

/** A queued job record written straight to the table, with no queue message: what a crash between the record
 * write and the enqueue leaves behind. */
export async function writeQueuedRecord(s: JobsStack, user: string, name: string, spec: Record<string, unknown> = {}): Promise<string> {
  const parsed = jobSpecSchema.parse({ name, commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '60' }, ...spec });
  const now = s.emulator.clock.now();
  const id = newJobId(userKeyOf(user), now, Math.random().toString(36).slice(2, 8).padEnd(6, '0'));
  const record: JobRecord = { id, user, name, spec: parsed, specHash: specHash(parsed), state: 'queued', submittedAt: now.toISOString(), updatedAt: now.toISOString(), dispatchAttempts: 0 };
  await s.store.addIndexes(record, 'active'); // as submit writes it; dispatch writes the `all` row
  await s.store.create(record);
  return id;
}

/** Polls (in real time: queue triggers run in real time) until `check` holds; usable in hooks too. */
export async function pollUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
