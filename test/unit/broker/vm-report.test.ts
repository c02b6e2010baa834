// A VM's own session report counts only while fresh (3 minutes: the reporter writes every minute), and only when it
// could count both kinds of session; it never counts fewer sessions than it names.
import { describe, expect, it } from 'vitest';
import { isFresh, reportedCount, type VmReport } from '../../../src/broker/vm-report.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const report = (o: Partial<VmReport> = {}): VmReport => ({ instanceId: '0', reportedAt: NOW.toISOString(), sessions: [], counts: { jupyter: 0, ssh: 0 }, drained: false, ...o });
const before = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe('isFresh', () => {
  it.each([
    ['written now', 0, true],
    ['exactly 3 minutes old (the last fresh moment)', 180_000, true],
    ['3 minutes and 1 ms old', 180_001, false],
    ['an hour old', 3_600_000, false],
    ['from a VM clock 30 s ahead', -30_000, true],
  ])('a report %s is fresh: %s', (_what, ageMs, fresh) => {
    expect(isFresh(report({ reportedAt: before(ageMs) }), NOW)).toBe(fresh);
  });
});

describe('reportedCount', () => {
  it('adds the Jupyter and SSH counts', () => {
    expect(reportedCount(report({ counts: { jupyter: 1, ssh: 2 }, sessions: [{ user: 'ana', kind: 'ssh' }] }))).toBe(3);
  });

  it('counts at least the sessions it names', () => {
    const sessions = [{ user: 'ana', kind: 'ssh' as const }, { user: 'bo', kind: 'ssh' as const }, { user: 'cy', kind: 'jupyter' as const }];
    expect(reportedCount(report({ counts: { jupyter: 1, ssh: 1 }, sessions }))).toBe(3);
  });

  it('is 0 for a VM that counted no session of either kind', () => {
    expect(reportedCount(report({ counts: { jupyter: 0, ssh: 0 } }))).toBe(0);
  });

  it.each([
    ['Jupyter', { ssh: 1 }],
    ['SSH', { jupyter: 1 }],
    ['either kind', {}],
  ])('is unknown when the VM could not count %s', (_kind, counts) => {
    expect(reportedCount(report({ counts, sessions: [{ user: 'ana', kind: 'ssh' }] }))).toBeUndefined();
  });
});
