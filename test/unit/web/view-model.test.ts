// What the dashboard shows: warnings in plain words with what to do, the decisions filter, jobs by group, and the
// copy users get without other people's names.
import { describe, expect, it } from 'vitest';
import { gpuHoursByUser } from '../../../src/jobs/gpu-hours.js';
import type { JobView } from '../../../src/jobs/job-view.js';
import { withoutPeople } from '../../../src/services/dashboard.js';
import type { EventWire, JobWire } from '../../../src/web/dashboard-view.js';
import { ago, filterDecisions, groupJobs, jobLogsUrl, warningItem } from '../../../src/web/view-model.js';

describe('warnings', () => {
  it.each([
    ['VM 0: stopped but not deallocated, so still billed for compute', 'STOPPED_ALLOCATED', /Deallocate it/],
    ['VM 3: no session data for 12 min; counted as busy', 'NO_SESSION_DATA', /session reporter/],
    ['VM 2: provisioning failed; it gives no seats', 'PROVISIONING_FAILED', /Reimage or delete/],
    ['5 VMs running or starting, above maxInstances 4; only idle VMs are removed', 'ABOVE_MAX', /Raise maxInstances/],
  ])('turns "%s" into %s with what to do', (message, code, advice) => {
    const w = warningItem(message);
    expect(w.code).toBe(code);
    expect(w.message).toBe(message);
    expect(w.advice).toMatch(advice);
    expect(w.firstSeen).toBeUndefined();
  });

  it('shows a structured warning as given: its code, first-seen time and advice win', () => {
    expect(warningItem({ code: 'scale-set-busy', message: 'Scale set Updating for 31 min', firstSeen: '2026-11-30T10:00:00Z' })).toMatchObject({ code: 'scale-set-busy', firstSeen: '2026-11-30T10:00:00Z', advice: expect.stringMatching(/activity log/) });
    expect(warningItem({ code: 'NEW_THING', message: 'Something new', advice: 'Do this.' })).toEqual({ code: 'NEW_THING', message: 'Something new', firstSeen: undefined, advice: 'Do this.' });
    expect(warningItem('Brand-new warning text').advice).toMatch(/newest events/);
  });
});

const e = (pool: string, at: string, o: Partial<EventWire> = {}): EventWire => ({ pool, at, kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'out', reason: 'r', actedOut: true, actedIn: false, durationMs: 1, ...o });

describe('decisions filter', () => {
  const groups = [
    { pool: 'a', events: [e('a', '2026-11-30T10:00:00Z'), e('a', '2026-11-30T09:00:00Z', { outcome: 'failed', error: { code: 'ARM_THROTTLED', message: 'slow down' } })] },
    { pool: 'b', events: [e('b', '2026-11-30T09:30:00Z', { direction: 'in', reason: 'idle 30 min' }), e('b', '2026-11-30T08:00:00Z', { kind: 'policy-invalid', outcome: 'skipped', direction: 'none' })] },
  ];
  it.each([
    [{}, ['a 10', 'b 09', 'a 09', 'b 08']],
    [{ pool: 'b' }, ['b 09', 'b 08']],
    [{ outcome: 'failed' }, ['a 09']],
    [{ direction: 'in' }, ['b 09']],
    [{ errorsOnly: true }, ['a 09', 'b 08']],
    [{ text: 'IDLE' }, ['b 09']],
    [{ text: 'throttled' }, []],
    [{ text: 'slow' }, ['a 09']],
  ])('%j → %j', (filter, expected) => {
    expect(filterDecisions(groups, filter).map((x) => `${x.pool} ${x.at.slice(11, 13)}`)).toEqual(expected);
  });
});

const job = (id: string, user: string, state: string, pool?: string): JobWire => ({ id, user, state, pool, name: id, submittedAt: '2026-11-30T10:00:00Z', updatedAt: '2026-11-30T10:00:00Z', spec: {} } as unknown as JobWire);

describe('jobs', () => {
  it('groups queued (queued, dispatching, dispatched), running (running, cancelling) and recent (final) per pool and user', () => {
    const jobs = [job('1', 'ann', 'queued'), job('2', 'ann', 'dispatched', 'gpu'), job('3', 'bob', 'running', 'gpu'), job('4', 'bob', 'cancelling', 'cpu'), job('5', 'ann', 'succeeded', 'cpu'), job('6', 'bob', 'failed', 'gpu')];
    const ids = (g: Record<string, JobWire[]>) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v.map((j) => j.id)]));
    expect(ids(groupJobs(jobs))).toEqual({ queued: ['1', '2'], running: ['3', '4'], recent: ['5', '6'] });
    expect(ids(groupJobs(jobs, { pool: 'gpu' }))).toEqual({ queued: ['2'], running: ['3'], recent: ['6'] });
    expect(ids(groupJobs(jobs, { pool: 'unrouted' }))).toEqual({ queued: ['1'], running: [], recent: [] });
    expect(ids(groupJobs(jobs, { user: 'bob' }))).toEqual({ queued: [], running: ['3', '4'], recent: ['6'] });
    expect(jobLogsUrl('abc/1')).toBe('/api/jobs/abc%2F1/logs');
  });

  it('adds GPU-hours per user and pool inside the period, running jobs up to now', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const gpu = (user: string, gpus: number, startTime: string, endTime?: string, pool = 'gpu') => ({ id: user, user, pool, startTime, endTime, spec: { resources: { gpus } } }) as unknown as JobView;
    const rows = gpuHoursByUser([
      gpu('ann', 2, '2026-12-02T08:00:00Z', '2026-12-02T09:30:00Z'), // 3 GPU-h
      gpu('ann', 1, '2026-12-02T11:00:00Z'), // running: 1 GPU-h so far
      gpu('bob', 4, '2026-11-30T23:00:00Z', '2026-12-01T01:00:00Z'), // 1 h inside December × 4
      gpu('cid', 0, '2026-12-02T08:00:00Z', '2026-12-02T10:00:00Z', 'cpu'), // no GPUs
    ], new Date('2026-12-01T00:00:00Z'), now);
    expect(rows).toEqual([{ pool: 'gpu', user: 'ann', gpuHours: 4, jobs: 2 }, { pool: 'gpu', user: 'bob', gpuHours: 4, jobs: 1 }]);
  });
});

describe('what users see', () => {
  it('drops every key that names a person, at any depth, and keeps the rest', () => {
    const status = { pool: 'lab', instances: [{ instanceId: '0', sessions: 2, users: ['ann', 'bob'] }], reservations: [{ instanceId: '1', user: 'cid', expiresAt: 'x' }], lastEvent: { reason: 'ann.lee@example.com asked for a VM (wake); holding one', requestedBy: 'ann', at: new Date(0) } };
    expect(withoutPeople(status)).toEqual({ pool: 'lab', instances: [{ instanceId: '0', sessions: 2 }], reservations: [{ instanceId: '1', expiresAt: 'x' }], lastEvent: { reason: 'someone asked for a VM (wake); holding one', at: new Date(0) } });
  });

  it('says how long ago in words', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(['2026-11-30T11:59:30Z', '2026-11-30T11:45:00Z', '2026-11-30T09:00:00Z', '2026-11-20T09:00:00Z', undefined].map((t) => ago(t, now))).toEqual(['just now', '15 min ago', '3 h ago', '2026-11-20 09:00 UTC', '—']);
  });
});
