// The job-service soak: jobs through HTTP → queue → dispatch → the Batch emulator → sync, under the emulator's
// fault injection (a seeded share of 503 and 429 answers and dropped connections on every Batch call), a Batch
// outage of several simulated minutes and a host restart mid-run. Shared by the `soak` benchmark (300 jobs) and
// an integration test (a few dozen). Simulated time moves one minute per sync tick; dispatch runs in real time.
import { TableClient } from '@azure/data-tables';
import { createJobStore } from '../../src/azure/job-store.js';
import { callerHeaders } from './caller-headers.js';
import { startTestStack, type TestStack } from './stack.js';

export interface SoakOptions {
  jobs: number;
  /** Share of Batch calls answered 503 and 429 (split evenly); default 0.1. */
  faultRate?: number;
  /** Share of Batch calls whose connection is dropped; default 0.02. */
  dropRate?: number;
  /** Simulated minutes every Batch call fails (503); default 3. In real time the outage lasts until every job
   * submitted during it has made more dispatch attempts than host.json's maxDequeueCount (5), so an outage that
   * would once have poisoned them is really exercised. */
  outageMinutes?: number;
  /** Gives up after this many sync ticks (simulated minutes). */
  maxTicks?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  submitted: number;
  /** Jobs the API lists at the end (admin listing, all pages). */
  listed: number;
  states: Record<string, number>;
  /** Submitted jobs the listing does not have. */
  lost: string[];
  /** Job ids with more than one Batch task, over every Batch job. */
  duplicated: string[];
  notFinal: string[];
  batchCalls: number;
  /** Injected 503/429/drops (the outage not counted). */
  faultsInjected: number;
  /** The fewest dispatch attempts any job submitted during the outage had made when it ended. */
  attemptsDuringOutage: number;
  ticks: number;
  simulatedMinutes: number;
  wallSeconds: number;
  restarts: number;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => undefined);
  const started = performance.now();
  const stack = await startTestStack({
    emulator: { clock: { start: new Date('2026-11-02T08:00:00Z') } },
    // Dispatch retries after at most 2 s of real time: the outage spans many attempts within a short run.
    env: { DSVMPOOL_JOBS_REQUEUE_MINUTES: '5', DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS: '2' },
  });
  try {
    return await soak(stack, o, log, started);
  } finally {
    await stack.stop();
  }
}

async function soak(stack: TestStack, o: SoakOptions, log: (line: string) => void, started: number): Promise<SoakResult> {
  const { emulator } = stack;
  emulator.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, nodeStartSeconds: 90 });
  const policies = TableClient.fromConnectionString(stack.azurite.connectionString, 'policies', { allowInsecureConnection: true });
  await policies.upsertEntity({ partitionKey: 'pool', rowKey: 'cpu', kind: 'batch', poolId: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, minNodes: 0, maxNodes: 30, idleMinutesBeforeScaleDown: 5 });

  const admin = await callerHeaders(stack, 'soak', true);
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${stack.host.url}/api${path}`, {
          method,
          headers: { ...admin, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
          body: body ? JSON.stringify(body) : undefined,
        });
        const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
        // A client retries a refused connection or a 503 (the host restarting); the Idempotency-Key makes it safe.
        if (res.status === 503 && attempt < 50) {
          await sleep(200);
          continue;
        }
        return { status: res.status, body: json ?? {} };
      } catch (error) {
        if (attempt >= 50) throw error;
        await sleep(200);
      }
    }
  };

  const rate = o.faultRate ?? 0.1;
  const faults = [
    emulator.faults.add({ operation: 'batch.*', kind: 'status', status: 503, code: 'ServerBusy', retryAfterSeconds: 0, rate: rate / 2 }),
    emulator.faults.add({ operation: 'batch.*', kind: 'status', status: 429, code: 'TooManyRequests', retryAfterSeconds: 0, rate: rate / 2 }),
    emulator.faults.add({ operation: 'batch.*', kind: 'drop', rate: o.dropRate ?? 0.02 }),
  ];

  const ids: string[] = [];
  const waves = new Map<string, string[]>();
  const submit = async (count: number, wave: string) => {
    waves.set(wave, []);
    const mine = Array.from({ length: count }, (_, i) => `${wave}-${i}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < mine.length) {
          const name = mine[next++]!;
          const r = await api('POST', '/jobs', { name, commandLine: 'python train.py', env: { EMULATOR_TASK_SECONDS: '120' } }, { 'idempotency-key': `soak-${name}` });
          if (r.status !== 202) throw new Error(`submit ${name}: ${r.status} ${JSON.stringify(r.body)}`);
          ids.push(String(r.body.id));
          waves.get(wave)!.push(String(r.body.id));
        }
      }),
    );
    log(`submitted ${count} (${wave}); ${ids.length} in all`);
  };
  const tick = async () => {
    emulator.clock.advance(60_000);
    await stack.host.runTimer('jobsync').catch((e: unknown) => log(`jobsync failed: ${(e as Error).message}`));
  };

  const third = Math.ceil(o.jobs / 3);
  await submit(third, 'before');
  let ticks = 0;
  for (; ticks < 2; ticks++) await tick();

  // The outage: every Batch call fails for outageMinutes of simulated time; jobs keep arriving meanwhile.
  const outage = emulator.faults.add({ operation: 'batch.*', kind: 'status', status: 503, code: 'ServerBusy', retryAfterSeconds: 0 });
  log('Batch outage begins');
  await submit(third, 'during-outage');
  const store = createJobStore(TableClient.fromConnectionString(stack.azurite.connectionString, 'jobs', { allowInsecureConnection: true }));
  const outageStarted = performance.now();
  const minutes = o.outageMinutes ?? 3;
  for (let m = 0; m < minutes; m++, ticks++) {
    // Dispatch keeps trying in real time; simulated time moves a minute per step, the last step waits until every
    // job that arrived during the outage has tried more than maxDequeueCount times (or 120 s have passed).
    for (let waited = 0; waited < (m === minutes - 1 ? 120_000 : 2_000); waited += 500) {
      if (m === minutes - 1 && (await minAttempts(store, waves.get('during-outage')!)) > 5) break;
      await sleep(500);
    }
    await tick();
  }
  const attemptsDuringOutage = await minAttempts(store, waves.get('during-outage')!);
  log(`outage held ${((performance.now() - outageStarted) / 1000).toFixed(1)} s real, ${minutes} simulated min; fewest dispatch attempts of a job submitted during it: ${attemptsDuringOutage}`);
  emulator.faults.remove(outage);
  log('Batch outage ends');
  await tick();
  ticks++;

  // The host restarts while dispatch is catching up; submissions arrive around it.
  const late = submit(o.jobs - 2 * third, 'around-restart');
  await sleep(300);
  await stack.restartHost();
  log('host restarted');
  await late;

  const maxTicks = o.maxTicks ?? 120;
  let states: Record<string, number> = {};
  let listedIds: string[] = [];
  for (; ticks < maxTicks; ticks++) {
    await sleep(250);
    await tick();
    const listing = await listAll(api);
    listedIds = listing.map((j) => j.id);
    states = countStates(listing);
    if (listing.length >= ids.length && listing.every((j) => FINAL.has(j.state))) break;
    if (ticks % 5 === 0) log(`tick ${ticks}: ${JSON.stringify(states)}`);
  }
  const faultsInjected = emulator.faults.list().filter((f) => faults.includes(f.id)).reduce((n, f) => n + f.hits, 0);
  for (const f of faults) emulator.faults.remove(f);
  const listing = await listAll(api);
  listedIds = listing.map((j) => j.id);
  states = countStates(listing);

  const perJob = new Map<string, number>();
  for (const t of emulator.batch.state().tasks) perJob.set(t.id, (perJob.get(t.id) ?? 0) + 1);
  const listedSet = new Set(listedIds);
  return {
    submitted: ids.length,
    listed: listing.length,
    states,
    lost: ids.filter((id) => !listedSet.has(id)),
    duplicated: [...perJob].filter(([, n]) => n > 1).map(([id]) => id),
    notFinal: listing.filter((j) => !FINAL.has(j.state)).map((j) => `${j.id} ${j.state}`),
    batchCalls: emulator.calls({ operation: 'batch.*' }),
    faultsInjected,
    attemptsDuringOutage,
    ticks,
    simulatedMinutes: ticks,
    wallSeconds: (performance.now() - started) / 1000,
    restarts: 1,
  };
}

async function minAttempts(store: ReturnType<typeof createJobStore>, ids: string[]): Promise<number> {
  let min = Infinity;
  for (const id of ids) min = Math.min(min, (await store.get(id))?.record.dispatchAttempts ?? 0);
  return min;
}

type Api = (method: string, path: string) => Promise<{ status: number; body: Record<string, unknown> }>;

async function listAll(api: Api): Promise<{ id: string; state: string }[]> {
  const out: { id: string; state: string }[] = [];
  let token: string | undefined;
  do {
    const r = await api('GET', `/jobs?user=soak&top=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
    if (r.status !== 200) throw new Error(`listing: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...(r.body.items as { id: string; state: string }[]));
    token = r.body.continuationToken as string | undefined;
  } while (token);
  return out;
}

function countStates(jobs: { state: string }[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const j of jobs) c[j.state] = (c[j.state] ?? 0) + 1;
  return c;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
