// Job states and the only transitions allowed between them. Every write of a new state goes through
// `transition()`, and the store makes it conditional on the ETag that was read, so a lost race is re-read and
// re-decided, never overwritten.
export const jobStates = ['queued', 'dispatching', 'dispatched', 'running', 'succeeded', 'failed', 'cancelling', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

export const finalStates: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);

// Besides the main line queued → dispatching → dispatched → running → succeeded | failed:
// - any non-final state may fail (routing impossible, poison, Batch rejected the task) or start cancelling;
// - queued may be cancelled at once (there is no Batch task to stop);
// - sync may see a task further along than the record (a missed tick, or a dispatcher that crashed between the
//   Batch call and its Table write), so dispatching/dispatched may jump ahead;
// - a dispatching record may be re-entered by a redelivered message (the same state, a new attempt);
// - a dispatching record goes back to queued when a concurrent dispatch of the same user took the last room under a
//   per-user limit (admission.ts), before any task was added.
const allowed: Record<JobState, readonly JobState[]> = {
  queued: ['dispatching', 'failed', 'cancelling', 'cancelled'],
  dispatching: ['queued', 'dispatching', 'dispatched', 'running', 'succeeded', 'failed', 'cancelling'],
  dispatched: ['running', 'succeeded', 'failed', 'cancelling'],
  running: ['running', 'succeeded', 'failed', 'cancelling'],
  cancelling: ['cancelling', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function isFinal(state: JobState): boolean {
  return finalStates.has(state);
}

export function canTransition(from: JobState, to: JobState): boolean {
  return allowed[from].includes(to);
}
