// Job service throughput, measured against Azurite and the Batch emulator in one run:
// 1. jobs accepted per second through the submit HTTP handler vs the raw storage operations it performs
//    (one Table insert + one queue message), same concurrency (goal ≥ 0.8×);
// 2. dispatch throughput with batching (concurrent dispatches grouped into addtaskcollection calls) vs one
//    addTask call per job;
// 3. the Batch calls dispatch makes for one array job of 10,000 tasks (goal ≤ 0.02 per task).
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchClient } from '../../src/azure/batch/batch-client.js';
import { createBatchPools } from '../../src/azure/batch-pools.js';
import { createJobStore } from '../../src/azure/job-store.js';
import { createJobQueue } from '../../src/azure/job-queue.js';
import { installClock } from '../../src/clock.js';
import type { AddTaskOutcome, TaskSpec } from '../../src/jobs/batch.port.js';
import { batchPolicySchema } from '../../src/jobs/batch-policy.js';
import { dispatchJob } from '../../src/jobs/dispatch-job.js';
import { newJobId, type JobRecord } from '../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../src/jobs/job-spec.js';
import { specHash, userKeyOf } from '../../src/jobs/spec-hash.js';
import { TaskBatcher } from '../../src/jobs/task-batcher.js';
import { createAppStorage } from '../../src/local/app-storage.js';
import { startAzurite } from '../../src/local/azurite.js';
import { startEmulator } from '../../src/local/emulator/index.js';
import { checkTarget } from './targets.js';

// @azure/functions is CommonJS; Node's ESM loader cannot name its HttpRequest export.
const { HttpRequest } = createRequire(import.meta.url)('@azure/functions') as typeof import('@azure/functions');

const SUBMITS = 400;
const DISPATCHES = 300;
const CONCURRENCY = 16;
const DISPATCH_CONCURRENCY = 64;

async function pool<T>(items: T[], concurrency: number, run: (item: T, i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await run(items[i]!, i);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

const spec = { name: 'bench', commandLine: '/bin/bash -c "python train.py --epochs 10"', resources: { gpus: 0, cpus: 2, memoryGiB: 4 }, env: { EMULATOR_TASK_SECONDS: '600', DATASET: 'imagenet-mini' } };

export async function bench(): Promise<void> {
  const azurite = await startAzurite();
  const emulator = await startEmulator({ port: 0, clock: { start: new Date('2026-11-02T08:00:00Z') } });
  const dir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
  try {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emulator.caPem);
    await createAppStorage(azurite.connectionString);
    Object.assign(process.env, {
      AzureWebJobsStorage: azurite.connectionString,
      DSVMPOOL_CREDENTIAL: 'emulator',
      DSVMPOOL_BATCH_ENDPOINT: emulator.url,
      DSVMPOOL_TLS_CA_FILE: caFile,
    });
    installClock(emulator.clock);
    const conn = azurite.connectionString;
    // The handler module registers no functions, so no "test mode" warnings from @azure/functions.
    const { jobsApi } = await import('../../src/http/jobs-api.js');
    const { jobService } = await import('../../src/services/jobs.js');
    const submitJobHandler = jobsApi(jobService).submit;

    // 1. Submit through the handler vs raw insert + enqueue.
    const caller = { user: 'bench', roles: [], isAdmin: false };
    const body = JSON.stringify(spec);
    const rawTable = TableClient.fromConnectionString(conn, 'jobs', { allowInsecureConnection: true });
    const rawQueue = new QueueClient(conn, 'jobs');
    const rawSubmit = async (_: unknown, i: number) => {
      await rawTable.createEntity({ partitionKey: 'raw', rowKey: String(i).padStart(6, '0'), data: body });
      await rawQueue.sendMessage(Buffer.from(JSON.stringify({ jobId: `raw-${i}` })).toString('base64'));
    };
    // Warm both paths (connections, Azurite's tables) before measuring either.
    await pool(Array.from({ length: 50 }), CONCURRENCY, (_, i) => rawSubmit(_, SUBMITS + i));
    const handlerSeconds = await pool(Array.from({ length: SUBMITS }), CONCURRENCY, async () => {
      const req = new HttpRequest({ method: 'POST', url: 'http://localhost/api/jobs', body: { string: body }, headers: { 'content-type': 'application/json' } });
      const res = await submitJobHandler(req, caller);
      if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
    });
    await rawQueue.clearMessages();
    const rawSeconds = await pool(Array.from({ length: SUBMITS }), CONCURRENCY, rawSubmit);
    await rawQueue.clearMessages();

    // 2. Dispatch with batching vs one task per call.
    emulator.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 });
    const policy = { ...batchPolicySchema.parse({ kind: 'batch', poolId: 'cpu' }), name: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, taskSlotsPerNode: 1 };
    const pools = { list: async () => ({ pools: [policy], unusable: [], invalid: [] }) };
    const store = createJobStore(rawTable);
    const batch = createBatchPools(createBatchClient(emulator.url, { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600_000 }) }, { tlsOptions: { ca: emulator.caPem } }));
    const parsed = jobSpecSchema.parse(spec);
    const makeJobs = async (user: string): Promise<string[]> => {
      const ids: string[] = [];
      await pool(Array.from({ length: DISPATCHES }), CONCURRENCY, async (_, i) => {
        const now = new Date(emulator.clock.now().getTime() + i);
        const id = newJobId(userKeyOf(user), now, i.toString(36).padStart(6, '0'));
        const r: JobRecord = { id, user, name: 'bench', spec: parsed, specHash: specHash(parsed), state: 'queued', submittedAt: now.toISOString(), updatedAt: now.toISOString(), dispatchAttempts: 0 };
        await store.create(r);
        ids.push(id);
      });
      return ids;
    };
    const runDispatch = async (ids: string[], addTask: (j: string, t: TaskSpec) => Promise<AddTaskOutcome>) => {
      const before = emulator.calls({ operation: 'batch.task.add*' });
      const seconds = await pool(ids, DISPATCH_CONCURRENCY, async (id) => {
        const o = await dispatchJob({ store, batch, pools, addTask, queue: createJobQueue(rawQueue), retryMaxSeconds: 300 }, id, emulator.clock.now());
        if (o.result !== 'dispatched') throw new Error(`dispatch of ${id}: ${o.result} ${o.detail}`);
      });
      return { seconds, calls: emulator.calls({ operation: 'batch.task.add*' }) - before };
    };
    const singles = await runDispatch(await makeJobs('bench-single'), async (j, t) => (await batch.addTasks(j, [t]))[0]!);
    const batcher = new TaskBatcher(batch);
    const batched = await runDispatch(await makeJobs('bench-batched'), (j, t) => batcher.add(j, t));

    // 3. One array job of 10,000 tasks: every Batch call dispatch makes for it, per task.
    const ARRAY = 10_000;
    const arraySpec = jobSpecSchema.parse({ ...spec, array: { size: ARRAY } });
    const arrayNow = emulator.clock.now();
    const arrayId = newJobId(userKeyOf('bench-array'), arrayNow, 'array0');
    await store.create({ id: arrayId, user: 'bench-array', name: 'sweep', spec: arraySpec, specHash: specHash(arraySpec), state: 'queued', submittedAt: arrayNow.toISOString(), updatedAt: arrayNow.toISOString(), dispatchAttempts: 0 });
    const batchCallsBefore = emulator.calls({ operation: 'batch.*' });
    const arrayStarted = performance.now();
    const arrayOutcome = await dispatchJob({ store, batch, pools, addTask: (j, t) => batcher.add(j, t), queue: createJobQueue(rawQueue), retryMaxSeconds: 300 }, arrayId, emulator.clock.now());
    const arraySeconds = (performance.now() - arrayStarted) / 1000;
    if (arrayOutcome.result !== 'dispatched') throw new Error(`array dispatch: ${arrayOutcome.result} ${arrayOutcome.detail}`);
    const arrayCalls = emulator.calls({ operation: 'batch.*' }) - batchCallsBefore;

    const rate = (n: number, s: number) => (n / s).toFixed(0).padStart(6);
    console.log(`| measurement | jobs | seconds | jobs/s | Batch add calls | ratio |`);
    console.log(`| --- | --- | --- | --- | --- | --- |`);
    console.log(`| raw storage: Table insert + queue send (concurrency ${CONCURRENCY}) | ${SUBMITS} | ${rawSeconds.toFixed(2)} | ${rate(SUBMITS, rawSeconds)} | - | 1.00 |`);
    console.log(`| submit through the HTTP handler (concurrency ${CONCURRENCY}) | ${SUBMITS} | ${handlerSeconds.toFixed(2)} | ${rate(SUBMITS, handlerSeconds)} | - | ${(rawSeconds / handlerSeconds).toFixed(2)} of raw |`);
    console.log(`| dispatch, one addTask per job (concurrency ${DISPATCH_CONCURRENCY}) | ${DISPATCHES} | ${singles.seconds.toFixed(2)} | ${rate(DISPATCHES, singles.seconds)} | ${singles.calls} | 1.00 |`);
    console.log(`| dispatch, grouped into addtaskcollection (concurrency ${DISPATCH_CONCURRENCY}) | ${DISPATCHES} | ${batched.seconds.toFixed(2)} | ${rate(DISPATCHES, batched.seconds)} | ${batched.calls} | ${(singles.seconds / batched.seconds).toFixed(2)}× faster |`);
    console.log(`| dispatch of one array job of ${ARRAY} tasks | 1 (${ARRAY} tasks) | ${arraySeconds.toFixed(2)} | ${rate(ARRAY, arraySeconds)} tasks/s | ${arrayCalls} (all Batch calls) | ${(arrayCalls / ARRAY).toFixed(4)} calls per task (goal ≤ 0.02) |`);
    checkTarget({ name: 'HTTP submit path vs raw Table insert + queue send (same run)', value: rawSeconds / handlerSeconds, atLeast: 0.8, unit: '× raw' });
    checkTarget({ name: `Batch calls per task dispatching a ${ARRAY}-task array`, value: arrayCalls / ARRAY, atMost: 0.02, unit: 'calls/task' });
    console.log(`Submit ratio ${(rawSeconds / handlerSeconds).toFixed(2)} (goal ≥ 0.80). The handler does per job what raw does (1 insert + 1 queue send) plus the active index row beside the insert (batched across concurrent submits), so that no stored job is stranded.`);
  } finally {
    installClock(undefined);
    await emulator.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
