import { describe, expect, it } from 'vitest';
import { canTransition, finalStates, jobStates, type JobState } from '../../../src/jobs/job-state.js';

describe('job state machine', () => {
  it.each([
    ['queued', 'dispatching'],
    ['dispatching', 'dispatched'],
    ['dispatched', 'running'],
    ['running', 'succeeded'],
    ['running', 'failed'],
    ['queued', 'cancelled'],
    ['running', 'cancelling'],
    ['cancelling', 'cancelled'],
    ['dispatching', 'running'],
  ] as [JobState, JobState][])('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    ['queued', 'running'],
    ['dispatched', 'queued'],
    ['running', 'dispatched'],
    ['cancelling', 'running'],
    ['cancelling', 'succeeded'],
    ['dispatched', 'cancelled'],
  ] as [JobState, JobState][])('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('never changes a final state', () => {
    for (const f of finalStates) for (const to of jobStates) expect(canTransition(f, to)).toBe(false);
  });

  it('lets every non-final state start cancelling or be cancelled', () => {
    for (const s of jobStates.filter((x) => !finalStates.has(x))) {
      expect(canTransition(s, 'cancelling') || canTransition(s, 'cancelled')).toBe(true);
    }
  });
});
