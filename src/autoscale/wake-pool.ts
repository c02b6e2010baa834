// Scale from zero on demand: a wake request holds one VM for wakeHoldMinutes and is served at once, not at the
// next tick. Used by POST /wake and GET /connect.
import { AutoscaleError } from './errors.js';
import { evaluatePool, type AutoscaleDeps, type EvaluationResult } from './evaluate-pool.js';
import { evaluateWithTimeout } from './tick.js';
import type { PoolObservation } from './observation.js';
import { REPEAT_RECORD_MINUTES } from './repeated-event.js';
import { loadVmssPolicy } from './pool-policy.js';
import type { PolicyStore } from './policy-store.port.js';
import type { ScaleEvent, ScaleTrigger } from './scale-event.js';
import type { ScaleEventStore } from './scale-event-store.port.js';

/** Typical times for a DSVM: a deallocated VM is up in about 2 minutes, a new one in about 5. */
export const EXPECTED_START_MINUTES = 2;
export const EXPECTED_CREATE_MINUTES = 5;
const LEASE_RETRIES = 10;
const WAKE_DEDUPE_MS = 60_000;
const LEASE_RETRY_DELAY_MS = 300;
/** The newest events read when another evaluation holds the lease (wake events, one a minute, sit between evaluations). */
const LATEST_EVENTS = 10;
/** Retry-After (seconds) of an answer that promises nothing: the pools' 503 problems say 10 too. */
export const FAILED_RETRY_AFTER_SECONDS = 10;
/** Retry-After (seconds) while another evaluation runs and nothing recorded says what it does. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

export interface WakeResult {
  pool: string;
  /** A VM is running now. */
  ready: boolean;
  readyInstanceId?: string;
  /** When a VM should run (app clock); absent when nothing is on its way (the evaluation failed) or nothing says. */
  expectedReadyAt?: Date;
  /** What is happening, in words. */
  status: string;
  /**
   * Why no VM is on its way: this wake's evaluation failed, or (when another evaluation held the pool's lease) the
   * pool's latest recorded evaluation did, e.g. ARM_THROTTLED. `at` is when that evaluation ran (app clock).
   */
  problem?: { code: string; message: string; at: Date };
  /** Seconds after which asking again can tell more (the HTTP Retry-After); absent while a VM runs or is on its way. */
  retryAfterSeconds?: number;
  connectUrl?: string;
  evaluation: EvaluationResult;
}

export async function wakePool(deps: AutoscaleDeps & { policies: PolicyStore; poolTimeoutMs?: number }, pool: string, requestedBy: string, trigger: Extract<ScaleTrigger, 'wake' | 'connect'>): Promise<WakeResult> {
  const policy = await loadVmssPolicy(deps.policies, pool);
  if (!policy.enabled) {
    throw new AutoscaleError('POOL_DISABLED', `Autoscale is switched off for pool "${pool}" (enabled: false), so it cannot start a VM on request. An admin can enable it with PUT /api/pools/${pool}/policy.`);
  }
  const now = deps.now();
  if (trigger === 'connect' && policy.connectUrl) {
    // /connect with a VM already running answers 302 at once: nobody waits, so no wake event and no new hold.
    const running = (await deps.scaleSets(policy.target).listInstances()).find((i) => i.state === 'running');
    if (running) {
      return { pool, connectUrl: policy.connectUrl, ready: true, readyInstanceId: running.instanceId, expectedReadyAt: now, status: `VM ${running.instanceId} is running`, evaluation: { pool, outcome: 'none' } };
    }
  }
  // A waiting /connect page refreshes every few seconds: one wake event a minute is enough to hold the VM.
  const recent = await deps.events.since(pool, new Date(now.getTime() - WAKE_DEDUPE_MS));
  if (!recent.some((e) => e.kind === 'wake')) await deps.events.append({
    pool, at: now, kind: 'wake', trigger, outcome: 'requested', direction: 'none', requestedBy,
    reason: `${requestedBy} asked for a VM (${trigger}); holding one for ${policy.wakeHoldMinutes} min`, actedOut: false, actedIn: false, durationMs: 0,
  });
  // Bounded like the timer's (DSVMPOOL_POOL_TIMEOUT_SECONDS) when the deps say how long: a slow Azure answers the
  // caller with a failed evaluation instead of holding them, and the pool's lease, for as long as Azure takes.
  const { poolTimeoutMs } = deps;
  const evaluate = () => (poolTimeoutMs ? evaluateWithTimeout({ ...deps, poolTimeoutMs }, pool, policy, { trigger }) : evaluatePool(deps, pool, policy, { trigger }));
  let evaluation = await evaluate();
  // Another evaluation holds the lease: it may predate this request, so wait for it and evaluate again.
  for (let i = 0; evaluation.outcome === 'busy' && i < LEASE_RETRIES; i++) {
    await new Promise((r) => setTimeout(r, LEASE_RETRY_DELAY_MS));
    evaluation = await evaluate();
  }
  // Still held: the answer is what the pool's record says, never a guess that the holder is bringing the pool up.
  if (evaluation.outcome === 'busy') return { pool, connectUrl: policy.connectUrl, evaluation, ...whileBusy(await latestEvaluation(deps.events, pool), now) };
  return { pool, connectUrl: policy.connectUrl, evaluation, ...readiness(evaluation, now) };
}

type Answer = Pick<WakeResult, 'ready' | 'readyInstanceId' | 'expectedReadyAt' | 'status' | 'problem' | 'retryAfterSeconds'>;

/** The pool's newest recorded evaluation among its LATEST_EVENTS newest events, if any. */
async function latestEvaluation(events: ScaleEventStore, pool: string): Promise<ScaleEvent | undefined> {
  const page = await events.page(pool, { top: LATEST_EVENTS });
  return page.events.find((e) => e.kind === 'evaluation');
}

/**
 * The answer while another evaluation holds the pool's lease, from the pool's latest recorded evaluation `latest`:
 * its failure (code and message) when it failed less than REPEAT_RECORD_MINUTES before `now` (a failure that goes on
 * is recorded again at least that often, so an older one is over, and evaluations that find nothing to do are not
 * recorded); "bringing the pool up" only when it scaled out (started or added a VM) less than EXPECTED_CREATE_MINUTES
 * before `now`, expecting the VM by then; otherwise that another evaluation is running, with nothing promised. Pure.
 */
export function whileBusy(latest: ScaleEvent | undefined, now: Date): Answer {
  const sinceMs = latest ? now.getTime() - latest.at.getTime() : Number.NaN;
  if (latest?.outcome === 'failed' && latest.error && sinceMs < REPEAT_RECORD_MINUTES * 60_000) {
    const { code, message } = latest.error;
    return {
      ready: false,
      status: `could not start a VM: the pool's latest evaluation (${latest.at.toISOString()}) failed with ${code} (${message}); your wake stands and the next evaluation tries again`,
      problem: { code, message, at: latest.at },
      retryAfterSeconds: FAILED_RETRY_AFTER_SECONDS,
    };
  }
  if (latest?.outcome === 'done' && latest.actedOut && latest.direction === 'out' && sinceMs >= 0 && sinceMs < EXPECTED_CREATE_MINUTES * 60_000) {
    const minutes = latest.plan?.newCapacity !== undefined ? EXPECTED_CREATE_MINUTES : EXPECTED_START_MINUTES;
    const expected = new Date(latest.at.getTime() + minutes * 60_000);
    return { ready: false, expectedReadyAt: expected > now ? expected : now, status: 'another evaluation is bringing the pool up' };
  }
  return { ready: false, status: 'another evaluation of the pool is running and nothing recorded yet says what it does; ask again in a few seconds', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
}

function readiness(e: EvaluationResult, now: Date): Answer {
  const o: PoolObservation | undefined = e.observation;
  const running = o?.instances.find((i) => i.state === 'running');
  if (running) return { ready: true, readyInstanceId: running.instanceId, expectedReadyAt: now, status: `VM ${running.instanceId} is running` };
  const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
  const starting = [...(e.plan?.start ?? []), ...(o?.instances.filter((i) => i.state === 'starting').map((i) => i.instanceId) ?? [])];
  if (starting.length) return { ready: false, expectedReadyAt: minutes(EXPECTED_START_MINUTES), status: `starting VM ${starting[0]}` };
  if (e.plan?.newCapacity !== undefined || o?.instances.some((i) => i.state === 'creating')) {
    return { ready: false, expectedReadyAt: minutes(EXPECTED_CREATE_MINUTES), status: 'creating a new VM' };
  }
  if (e.outcome === 'failed') {
    const code = e.event?.error?.code ?? 'error';
    const message = e.event?.error?.message ?? 'the evaluation failed';
    return {
      ready: false,
      status: `could not start a VM: ${code} (${message}); your wake stands and the next evaluation tries again`,
      problem: { code, message, at: e.event?.at ?? now },
      retryAfterSeconds: FAILED_RETRY_AFTER_SECONDS,
    };
  }
  return { ready: false, expectedReadyAt: minutes(EXPECTED_CREATE_MINUTES), status: e.plan?.reason ?? 'waiting for a VM' };
}
