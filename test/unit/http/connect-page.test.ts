// The connect page for each broker answer, the redirect of a placed user, and the JSON of POST /sessions: what a
// person reads (headline, promise, failure, where to connect), the countdown in REAL seconds on a clock that runs 60×,
// and the refresh that stops after 15 real minutes. The app clock is pinned with installClock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectResult } from '../../../src/broker/connect-user.js';
import type { Placement } from '../../../src/broker/place.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import { installClock } from '../../../src/clock.js';
import { sessionAnswer } from '../../../src/http/broker-answer.js';
import { connectPage, startedAtOf, waitPhrase } from '../../../src/http/connect-page.js';
import { redirectTarget } from '../../../src/http/connect-redirect.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const REAL_NOW_MS = 1_800_000_000_000;
/** App-clock time `realSeconds` real seconds from now on the 60× clock. */
const inReal = (realSeconds: number) => new Date(NOW.getTime() + realSeconds * 60_000);

beforeEach(() => installClock({ now: () => NOW, speed: 60 }));
afterEach(() => installClock(undefined));

const vm = (instanceId: string, endpoints: ViewInstance['endpoints'] = {}): ViewInstance => ({
  instanceId, state: 'running', sessions: { known: true, count: 0, users: [] }, draining: false, removing: false, endpoints,
});
const view = (extra: Partial<PoolView> = {}): PoolView => ({
  pool: 'gpu', writtenAt: NOW.toISOString(), seatsPerInstance: 2, maxInstances: 4, placement: 'depth-first', reservationMinutes: 10,
  scaleSet: { provisioningState: 'Succeeded' }, instances: [], ...extra,
});
/** The broker's answer; `null` for no pool view at all. */
const result = (placement: Placement, v: PoolView | null = view(), extra: Partial<ConnectResult> = {}): ConnectResult => ({
  placement, view: v ?? undefined, storageOperations: 2, evaluated: false, ...extra,
});
const placed = (extra: Partial<Extract<Placement, { outcome: 'placed' }>> = {}): Placement => ({
  outcome: 'placed', instanceId: '3', by: 'depth-first', ready: false, readyAt: inReal(150), reserve: true, ...extra,
});
const waiting = (extra: Partial<Extract<Placement, { outcome: 'wait' }>> = {}): Placement => ({ outcome: 'wait', position: 2, why: 'no-free-seat', ...extra });
const page = (r: ConnectResult, o: { startedAtMs?: number; user?: string; pool?: string; selfPath?: string } = {}) =>
  connectPage({ pool: o.pool ?? 'gpu', result: r, selfPath: o.selfPath ?? '/api/connect/gpu', user: o.user ?? 'Alice.Smith@example.com', startedAtMs: o.startedAtMs ?? REAL_NOW_MS, nowMs: REAL_NOW_MS });
const headline = (html: string) => /<h1 id="headline">(.*?)<\/h1>/.exec(html)?.[1];
const status = (html: string) => /<p id="status">(.*?)<\/p>/.exec(html)?.[1];
const REFRESH = '<meta http-equiv="refresh" content="5;url=/api/connect/gpu?started=1800000000000">';

describe('waitPhrase and startedAtOf', () => {
  it.each([
    [-5_000, 'about 0 seconds'],
    [0, 'about 0 seconds'],
    [1_499, 'about 1 seconds'],
    [89_499, 'about 89 seconds'],
    [89_500, 'about 2 minutes'],
    [149_499, 'about 2 minutes'],
    [150_000, 'about 3 minutes'],
    [3_600_000, 'about 60 minutes'],
  ])('%i ms is %s', (ms, phrase) => {
    expect(waitPhrase(ms)).toBe(phrase);
  });

  it.each([
    ['a time in the past 24 hours', String(REAL_NOW_MS - 86_399_999), REAL_NOW_MS - 86_399_999],
    ['now', String(REAL_NOW_MS), REAL_NOW_MS],
    ['exactly 24 hours ago', String(REAL_NOW_MS - 86_400_000), REAL_NOW_MS],
    ['a time in the future', String(REAL_NOW_MS + 1), REAL_NOW_MS],
    ['nothing', null, REAL_NOW_MS],
    ['not a number', 'soon', REAL_NOW_MS],
    ['Infinity', '-Infinity', REAL_NOW_MS],
  ])('takes %s as the start: %s → %i', (_what, query, expected) => {
    expect(startedAtOf(query, REAL_NOW_MS)).toBe(expected);
  });
});

describe('connect page', () => {
  it('for a running VM without anywhere to send the user: says so, shows its addresses, does not refresh', () => {
    const v = view({ instances: [vm('3', { jupyter: { address: '20.1.2.3', port: 50001 }, ssh: { address: '20.1.2.3', port: 50101 } })] });
    const html = page(result(placed({ ready: true, readyAt: NOW }), v));
    expect(headline(html)).toBe('Your VM is ready');
    expect(status(html)).toBe('The pool has no connectUrl in its policy and no per-VM address is known, so there is nowhere to send you; ask an admin to set one.');
    expect(html).toContain('<p id="where">JupyterHub on this VM: <code id="jupyter-url">https://20.1.2.3:50001/</code><br>SSH: <code id="ssh-command">ssh -p 50101 alice-smith@20.1.2.3</code></p>');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<p><a id="retry" href="/api/connect/gpu">Try again</a></p>');
    expect(html).toContain('<title>gpu: Your VM is ready</title>');
    // Nothing else between the parts: no refresh, no failure, no script.
    expect(html).toContain('<head><meta charset="utf-8">\n<meta name="viewport"');
    expect(html).toContain('</code></p><p><a id="retry" href="/api/connect/gpu">Try again</a></p><p><small>Pool gpu</small></p></body></html>');
    const bare = page(result(placed({ ready: true }), view({ instances: [vm('3')] })));
    expect(bare).toContain('ask an admin to set one.</p><p><a id="retry"');
  });

  it('shows only the addresses the view knows, and "your-name" for a sign-in name that is no Linux name', () => {
    const sshOnly = view({ instances: [vm('9', { jupyter: { address: '1.1.1.1', port: 1 } }), vm('3', { ssh: { address: '20.1.2.3', port: 50101 } })] });
    const html = page(result(placed({ ready: true }), sshOnly), { user: '1st@example.com' });
    expect(html).toContain('<p id="where">SSH: <code id="ssh-command">ssh -p 50101 your-name@20.1.2.3</code></p>');
    expect(html).not.toContain('jupyter-url');
    expect(page(result(placed({ ready: true }), view({ instances: [vm('3')] })))).not.toContain('id="where"');
    expect(page(result(placed({ ready: true }), null))).not.toContain('id="where"');
  });

  it('for a starting VM: counts down in real seconds, refreshes every 5 s carrying the start time', () => {
    const html = page(result(placed({ readyAt: inReal(80) })));
    expect(headline(html)).toBe('Starting a VM for you');
    expect(status(html)).toBe(`VM 3 is held for you; this page takes you there as soon as it runs. <span id="expected" data-ready-at="${inReal(80).toISOString()}">Expected in <span id="countdown">about 80 seconds</span>.</span>`);
    expect(html).toContain(REFRESH);
    expect(html).toContain('<script>(function(){var end=Date.now()+80000;');
    expect(html).toContain('<p><small>Looking again every 5 seconds, for up to 15 minutes.</small> <a id="retry" href="/api/connect/gpu">Try again</a></p>');
  });

  it('says a VM past its promised time is late, without counting down from zero', () => {
    for (const readyAt of [NOW, inReal(-30)]) {
      const html = page(result(placed({ readyAt })));
      expect(status(html)).toContain(`<span id="expected" data-ready-at="${readyAt.toISOString()}">It was expected by now and is late.</span>`);
      expect(html).not.toContain('<script>');
      expect(html).toContain(REFRESH);
    }
  });

  it('stops refreshing 15 real minutes after the first view, with a retry link, and no countdown', () => {
    const before = page(result(placed({ readyAt: inReal(80) })), { startedAtMs: REAL_NOW_MS - 15 * 60_000 + 1 });
    expect(before).toContain('http-equiv="refresh"');
    const after = page(result(placed({ readyAt: inReal(80) })), { startedAtMs: REAL_NOW_MS - 15 * 60_000 });
    expect(after).not.toContain('http-equiv="refresh"');
    expect(after).not.toContain('<script>');
    expect(after).toContain('It was expected by now and is late.');
    expect(after).toContain('<p id="stopped">This page has stopped refreshing after 15 minutes. <a id="retry" href="/api/connect/gpu">Try again</a></p>');
    // A page that never refreshes has nothing to stop.
    const ready = page(result(placed({ ready: true })), { startedAtMs: REAL_NOW_MS - 60 * 60_000 });
    expect(ready).not.toContain('id="stopped"');
  });

  it('for a user in the queue: the place, the reason, the estimate and why it moved', () => {
    const html = page(result(waiting({ estimatedReadyAt: inReal(240), estimateMoved: 'a VM failed to start' })));
    expect(headline(html)).toBe('Waiting for a seat');
    expect(status(html)).toBe(`You are number 2 in the queue: every seat is taken; a VM is being added for you. <span id="moved">The expected time moved: a VM failed to start.</span> <span id="expected" data-ready-at="${inReal(240).toISOString()}">Expected in <span id="countdown">about 4 minutes</span>.</span>`);
    expect(html).toContain(REFRESH);
    expect(html).toContain('</span></p><p><small>Looking again');
  });

  it('for a pool at its maximum: promises nothing it does not have', () => {
    const html = page(result(waiting({ why: 'pool-at-maximum', position: 1 })));
    expect(status(html)).toBe('You are number 1 in the queue: every seat is taken and the pool is at its maximum size; you get the next seat that frees.');
    expect(html).not.toContain('id="expected"');
  });

  it('says plainly that starting a VM failed, what the admin was told, and promises no time', () => {
    const problem = { code: 'ARM_ERROR', message: 'Quota <exceeded>', at: NOW.toISOString(), reason: 'start 2 VMs & wait' };
    const html = page(result(waiting({ estimatedReadyAt: inReal(240) }), view({ problem })));
    expect(headline(html)).toBe('Starting a VM has failed');
    // Not "a VM is being added for you": nothing is, since adding one failed.
    expect(status(html)).toBe('You are number 2 in the queue: every seat is taken, and adding a VM has failed (ARM_ERROR); it is tried again at each evaluation. Nothing is starting now, so no time is promised.');
    expect(html).toContain('<p id="failure" role="alert"><strong>Starting a VM has failed:</strong> Quota &#60;exceeded&#62; (ARM_ERROR). The admin was told, in the pool\'s event log (GET /api/pools/gpu/events): “start 2 VMs &#38; wait”. Autoscale tries again every minute.</p>');
    expect(html).toContain(REFRESH);
    expect(html).toContain('#failure{color:#8a1f11}');
    // Without a reason the message is what the admin was told.
    expect(page(result(waiting(), view({ problem: { code: 'ARM_ERROR', message: 'Quota', at: NOW.toISOString() } })))).toContain('events): “Quota”.');
  });

  it('shows no failure paragraph for a placed user even when the last evaluation failed', () => {
    const problem = { code: 'ARM_ERROR', message: 'Quota', at: NOW.toISOString() };
    expect(page(result(placed(), view({ problem })))).not.toContain('id="failure"');
  });

  it('for a deleted scale set: no wait, no promise, no refresh, and what the admin must do', () => {
    const problem = { code: 'NOT_FOUND', message: 'gone', at: NOW.toISOString() };
    const html = page(result(waiting({ why: 'scale-set-missing' }), view({ problem, scaleSet: { provisioningState: 'Unknown', missing: true } })));
    expect(headline(html)).toBe("This pool's scale set is gone");
    expect(status(html)).toBe("The scale set this pool manages was not found in Azure (deleted?), so no VM can start and nothing is promised; this page does not wait. The admin was told: NOT_FOUND in the pool's event log (GET /api/pools/gpu/events). An admin must recreate the scale set or point the pool's policy at another one.");
    expect(html).not.toContain('id="failure"');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(page(result(waiting({ why: 'scale-set-missing' }), view()))).toContain("The admin was told: the pool's event log");
  });

  it('for a scale set stuck in an operation: since when, for more than 30 minutes, and keeps looking', () => {
    const problem = { code: 'SCALE_SET_STUCK', message: 'stuck', at: NOW.toISOString() };
    const html = page(result(waiting({ why: 'scale-set-stuck', busySince: '2026-03-02T09:00:00.000Z' }), view({ problem, scaleSet: { provisioningState: 'Updating', busySince: '2026-03-02T09:00:00.000Z' } })));
    expect(headline(html)).toBe("The pool's scale set is stuck in an operation");
    expect(status(html)).toBe("The scale set has been busy (Updating) since <span id=\"busy-since\">2026-03-02T09:00:00.000Z</span> for more than 30 minutes, so no VM can be started until that operation ends, and no time can be promised. The admin was told: SCALE_SET_STUCK in the pool's event log (GET /api/pools/gpu/events); they should check the scale set's activity log in Azure.");
    expect(html).not.toContain('id="failure"');
    expect(html).toContain(REFRESH);
    // Without a view or a start time: "Updating", and no "since".
    const bare = status(page(result(waiting({ why: 'scale-set-stuck' }), null)));
    expect(bare).toContain('busy (Updating) for more than 30 minutes');
    expect(bare).toContain("The admin was told: the pool's event log");
  });

  it('escapes what it did not write itself', () => {
    const html = page(result(waiting({ why: 'scale-set-stuck', busySince: '<b>' })), { pool: 'g"p', selfPath: "/api/connect/g'p" });
    expect(html).toContain('<title>g&#34;p: ');
    expect(html).toContain('<a id="retry" href="/api/connect/g&#39;p">');
    expect(html).toContain('<span id="busy-since">&#60;b&#62;</span>');
    expect(html).toContain('<meta http-equiv="refresh" content="5;url=/api/connect/g&#39;p?started=1800000000000">');
    expect(html).toContain('<p><small>Pool g&#34;p</small></p>');
  });
});

describe('where a placed user is sent', () => {
  it.each([
    ['the connectUrl of a ready VM\'s pool', placed({ ready: true, endpoint: { address: '20.1.2.3', port: 50001 } }), view({ connectUrl: 'https://hub.example/' }), 'https://hub.example/'],
    ['the VM\'s own hub without a connectUrl', placed({ ready: true, endpoint: { address: '20.1.2.3', port: 50001 } }), view(), 'https://20.1.2.3:50001/'],
    ['nowhere without either', placed({ ready: true }), view(), undefined],
    ['nowhere while the VM starts', placed({ endpoint: { address: '20.1.2.3', port: 50001 } }), view({ connectUrl: 'https://hub.example/' }), undefined],
    ['nowhere while waiting', waiting(), view({ connectUrl: 'https://hub.example/' }), undefined],
  ])('%s', (_what, p, v, target) => {
    expect(redirectTarget(result(p, v))).toBe(target);
  });
});

describe('POST /sessions answers', () => {
  it('answers a placement 200 with the real seconds until it is ready, rounded up', () => {
    const expiresAt = '2026-03-02T10:10:00.000Z';
    const r = sessionAnswer('gpu', 'Alice.Smith@contoso.com', 'jupyter', result(placed({ readyAt: new Date(NOW.getTime() + 60_001), endpoint: { address: '20.1.2.3', port: 50001 } }), view({ connectUrl: 'https://hub/' }), { reservation: { expiresAt } as ConnectResult['reservation'] }));
    expect(r).toEqual({
      status: 200,
      body: {
        pool: 'gpu', user: 'Alice.Smith@contoso.com', kind: 'jupyter', outcome: 'placed', instanceId: '3', by: 'depth-first', ready: false,
        readyAt: '2026-03-02T10:01:00.001Z', readyInSeconds: 2, endpoint: { address: '20.1.2.3', port: 50001 }, login: 'alice-smith', connectUrl: 'https://hub/', reservationExpiresAt: expiresAt,
      },
    });
  });

  it('answers 0 seconds and nulls for a ready VM without endpoint, view or reservation', () => {
    const r = sessionAnswer('gpu', '1st@example.com', 'ssh', result(placed({ ready: true, readyAt: new Date(NOW.getTime() - 60_000) }), null));
    // "1st" starts with a digit: no valid Linux name, so no login is offered.
    expect(r.body).toMatchObject({ readyInSeconds: 0, endpoint: null, login: null, connectUrl: null, reservationExpiresAt: null });
    expect(r).not.toHaveProperty('retryAfter');
  });

  it('promises no time and says adding a VM failed while the last evaluation failed (the page says the same)', () => {
    const problem = { code: 'ARM_THROTTLED', message: 'Too many requests', at: NOW.toISOString(), reason: 'scale out' };
    const r = sessionAnswer('gpu', 'alice', 'jupyter', result(waiting({ estimatedReadyAt: inReal(5) }), view({ problem })));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      reason: 'no-free-seat', message: 'every seat is taken, and adding a VM has failed (ARM_THROTTLED); it is tried again at each evaluation',
      estimatedReadyAt: null, estimatedWaitSeconds: null, problem,
    });
    expect(r.retryAfter).toBe(10);
  });

  it('keeps the estimate of a wait that is not for a seat being added, even while the last evaluation failed', () => {
    const problem = { code: 'ARM_THROTTLED', message: 'Too many requests', at: NOW.toISOString() };
    const r = sessionAnswer('gpu', 'alice', 'jupyter', result(waiting({ why: 'pool-at-maximum', estimatedReadyAt: inReal(20) }), view({ problem })));
    expect(r.body).toMatchObject({ reason: 'pool-at-maximum', estimatedReadyAt: inReal(20).toISOString(), estimatedWaitSeconds: 20, problem });
    expect(r.retryAfter).toBe(20);
  });

  it('answers a wait 202 with the estimate in real seconds and Retry-After within 5-30 s', () => {
    const r = sessionAnswer('gpu', 'alice', 'jupyter', result(waiting({ estimatedReadyAt: inReal(12), estimateMoved: 'moved' })));
    expect(r).toEqual({
      status: 202,
      body: {
        pool: 'gpu', user: 'alice', kind: 'jupyter', outcome: 'waiting', position: 2, reason: 'no-free-seat', message: 'every seat is taken; a VM is being added for you',
        estimatedReadyAt: inReal(12).toISOString(), estimatedWaitSeconds: 12, estimateMoved: 'moved', problem: null,
      },
      retryAfter: 12,
    });
  });

  it.each([
    [undefined, 10, null],
    [inReal(2), 5, 2],
    [inReal(-100), 5, 0],
    [inReal(31), 30, 31],
    [inReal(30), 30, 30],
    [inReal(5), 5, 5],
  ])('estimate %s → Retry-After %i, wait %s s', (estimatedReadyAt, retryAfter, wait) => {
    const r = sessionAnswer('gpu', 'alice', 'ssh', result(waiting(estimatedReadyAt ? { estimatedReadyAt } : {})));
    expect(r.retryAfter).toBe(retryAfter);
    expect(r.body.estimatedWaitSeconds).toBe(wait);
  });

  it.each([
    ['scale-set-missing', 503, "the pool's scale set was not found (deleted?); an admin must fix the pool before anyone can connect"],
    ['scale-set-stuck', 503, "the pool's scale set has been busy with an operation for too long, so no VM can start until it ends; the admin should check its activity log in Azure"],
    ['pool-at-maximum', 202, 'every seat is taken and the pool is at its maximum size; you get the next seat that frees'],
    ['no-view', 202, 'the pool has not been evaluated yet'],
  ] as const)('answers a wait for %s with %i: %s', (why, code, message) => {
    const problem = { code: 'X', message: 'm', at: NOW.toISOString() };
    const r = sessionAnswer('gpu', 'alice', 'ssh', result(waiting({ why, busySince: why === 'scale-set-stuck' ? '2026-03-02T09:00:00.000Z' : undefined }), view({ problem })));
    expect(r.status).toBe(code);
    expect(r.body.message).toBe(message);
    expect(r.body.problem).toEqual(problem);
    expect(r.body.estimateMoved).toBeNull();
    if (why === 'scale-set-stuck') expect(r.body.busySince).toBe('2026-03-02T09:00:00.000Z');
    else expect(r.body).not.toHaveProperty('busySince');
  });
});
