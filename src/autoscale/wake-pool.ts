// Scale from zero on demand: a wake request holds one VM for wakeHoldMinutes and is served at once, not at the
// next tick. Used by POST /wake and GET /connect.
import { AutoscaleError } from './errors.js';
import { evaluatePool, type AutoscaleDeps, type EvaluationResult } from './evaluate-pool.js';
import { evaluateWithTimeout } from './tick.js';
import type { PoolObservation } from './observation.js';
import { loadVmssPolicy } from './pool-policy.js';
import type { PolicyStore } from './policy-store.port.js';
import type { ScaleTrigger } from './scale-event.js';

/** Typical times for a DSVM: a deallocated VM is up in about 2 minutes, a new one in about 5. */
export const EXPECTED_START_MINUTES = 2;
export const EXPECTED_CREATE_MINUTES = 5;
const LEASE_RETRIES = 10;
const WAKE_DEDUPE_MS = 60_000;
const LEASE_RETRY_DELAY_MS = 300;

export interface WakeResult {
  pool: string;
  /** A VM is running now. */
  ready: boolean;
  readyInstanceId?: string;
  expectedReadyAt: Date;
  /** What is happening, in words. */
  status: string;
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
  return { pool, connectUrl: policy.connectUrl, evaluation, ...readiness(evaluation, now) };
}

function readiness(e: EvaluationResult, now: Date): Pick<WakeResult, 'ready' | 'readyInstanceId' | 'expectedReadyAt' | 'status'> {
  const o: PoolObservation | undefined = e.observation;
  const running = o?.instances.find((i) => i.state === 'running');
  if (running) return { ready: true, readyInstanceId: running.instanceId, expectedReadyAt: now, status: `VM ${running.instanceId} is running` };
  const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
  const starting = [...(e.plan?.start ?? []), ...(o?.instances.filter((i) => i.state === 'starting').map((i) => i.instanceId) ?? [])];
  if (starting.length) return { ready: false, expectedReadyAt: minutes(EXPECTED_START_MINUTES), status: `starting VM ${starting[0]}` };
  if (e.plan?.newCapacity !== undefined || o?.instances.some((i) => i.state === 'creating')) {
    return { ready: false, expectedReadyAt: minutes(EXPECTED_CREATE_MINUTES), status: 'creating a new VM' };
  }
  if (e.outcome === 'busy') return { ready: false, expectedReadyAt: minutes(EXPECTED_START_MINUTES), status: 'another evaluation is bringing the pool up' };
  if (e.outcome === 'failed') return { ready: false, expectedReadyAt: minutes(1), status: `could not start a VM yet (${e.event?.error?.code ?? 'error'}); retrying` };
  return { ready: false, expectedReadyAt: minutes(EXPECTED_CREATE_MINUTES), status: e.plan?.reason ?? 'waiting for a VM' };
}
