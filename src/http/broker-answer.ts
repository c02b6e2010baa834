// The broker's answers over HTTP: a placement or a queue place as JSON (POST /sessions), and broker errors as
// problem+json. The only place broker codes become HTTP statuses.
import type { HttpResponseInit } from '@azure/functions';
import type { ConnectResult } from '../broker/connect-user.js';
import type { SessionKind } from '../broker/pool-view.js';
import { realMsUntil } from '../clock.js';
import { codeProblem } from './problem.js';
import { poolsProblem } from './pools-problem.js';
import { vmUserName } from '../broker/vm-user-name.js';

const statusOf: Record<string, [number, string]> = {
  BROKER_BUSY: [503, 'Too many connects at once'],
};

export function brokerProblem(error: unknown): HttpResponseInit {
  const e = (error ?? {}) as { code?: string; message?: string };
  if (e.code && statusOf[e.code]) return codeProblem(statusOf, { code: e.code, message: e.message }, 2);
  return poolsProblem(error);
}

/** Why a user waits, in words a person reads. */
export const WAIT_REASONS: Record<string, string> = {
  'no-free-seat': 'every seat is taken; a VM is being added for you',
  'pool-at-maximum': 'every seat is taken and the pool is at its maximum size; you get the next seat that frees',
  'scale-set-missing': 'the pool\'s scale set was not found (deleted?); an admin must fix the pool before anyone can connect',
  'scale-set-stuck': 'the pool\'s scale set has been busy with an operation for too long, so no VM can start until it ends; the admin should check its activity log in Azure',
  'no-view': 'the pool has not been evaluated yet',
};

/**
 * Why a person waits, in words, true to the view: "a VM is being added for you" only while adding one has not
 * failed. When the last evaluation failed (`view.problem`, e.g. ARM_THROTTLED) nothing is starting, so the words say
 * so and no time is promised (the connect page says the same).
 */
export function waitReason(why: string, problem: { code: string } | undefined | null): string {
  if (problem && why === 'no-free-seat') return `every seat is taken, and adding a VM has failed (${problem.code}); it is tried again at each evaluation`;
  return WAIT_REASONS[why] ?? why;
}

/** The JSON body of POST /sessions; `readyInSeconds` and `estimatedWaitSeconds` are real seconds. */
export function sessionAnswer(pool: string, user: string, kind: SessionKind, r: ConnectResult): { status: number; body: Record<string, unknown>; retryAfter?: number } {
  const p = r.placement;
  if (p.outcome === 'placed') {
    const readyIn = Math.max(0, Math.ceil(realMsUntil(p.readyAt) / 1000));
    return {
      status: 200,
      body: {
        pool, user, kind, outcome: 'placed', instanceId: p.instanceId, by: p.by, ready: p.ready,
        readyAt: p.readyAt.toISOString(), readyInSeconds: readyIn,
        endpoint: p.endpoint ?? null,
        // The Linux account the person has on every pool VM (what `ssh -p PORT login@HOST` needs), as the VMs derive it.
        login: vmUserName(user) || null,
        connectUrl: r.view?.connectUrl ?? null,
        reservationExpiresAt: r.reservation?.expiresAt ?? null,
      },
    };
  }
  const failed = Boolean(r.view?.problem) && p.why === 'no-free-seat';
  const estimate = failed ? undefined : p.estimatedReadyAt;
  const wait = estimate ? Math.max(0, Math.ceil(realMsUntil(estimate) / 1000)) : undefined;
  return {
    // Nothing can be promised on a deleted scale set or one stuck in an operation.
    status: p.why === 'scale-set-missing' || p.why === 'scale-set-stuck' ? 503 : 202,
    body: {
      pool, user, kind, outcome: 'waiting', position: p.position, reason: p.why, message: waitReason(p.why, r.view?.problem),
      estimatedReadyAt: estimate?.toISOString() ?? null, estimatedWaitSeconds: wait ?? null,
      estimateMoved: p.estimateMoved ?? null,
      ...(p.busySince ? { busySince: p.busySince } : {}),
      problem: r.view?.problem ?? null,
    },
    retryAfter: Math.min(30, Math.max(5, wait ?? 10)),
  };
}
