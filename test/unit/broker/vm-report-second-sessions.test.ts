import { describe, expect, it } from 'vitest';
import { secondSessions, type VmReport } from '../../../src/broker/vm-report.js';

const report = (sessions: VmReport['sessions']): VmReport => ({ instanceId: '0', reportedAt: '2026-03-02T10:00:00Z', sessions, counts: { jupyter: 0, ssh: 0 }, drained: false });

describe('secondSessions', () => {
  it("counts the sessions past each user's first: a notebook and an SSH job of one user count 1", () => {
    expect(secondSessions(report([]))).toBe(0);
    expect(secondSessions(report([{ user: 'ana', kind: 'jupyter' }, { user: 'bo', kind: 'jupyter' }]))).toBe(0);
    expect(secondSessions(report([{ user: 'ana', kind: 'jupyter' }, { user: 'ana', kind: 'ssh' }, { user: 'bo', kind: 'ssh' }]))).toBe(1);
    expect(secondSessions(report([{ user: 'ana', kind: 'ssh' }, { user: 'ana', kind: 'ssh' }, { user: 'ana', kind: 'jupyter' }]))).toBe(2);
  });
});
