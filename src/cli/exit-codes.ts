// Exit codes a script can rely on (documented in README, section cli). `wait` and `submit --wait` exit with the
// job's outcome.
export const EXIT = {
  ok: 0,
  /** The job failed (wait, submit --wait). */
  jobFailed: 1,
  /** Bad flags, a bad job file, or input the app refused (400, 413, 415, 422). */
  usage: 2,
  /** Not signed in or not allowed (401, 403). */
  auth: 3,
  /** No such job or pool, or not yours (404). */
  notFound: 4,
  /** The app, storage or Azure is unreachable or busy (429, 5xx, no connection): try again. */
  unavailable: 5,
  /** The job was cancelled (wait, submit --wait). */
  jobCancelled: 6,
  /** --timeout passed before the job finished. */
  timeout: 7,
  /** The request conflicts with the job's state, e.g. cancelling a finished job (409). */
  conflict: 8,
  /** connect/ssh: a seat is held for you, but the app knows no address for the VM (no per-VM port, no connectUrl). */
  noEndpoint: 9,
} as const;

export function exitCodeForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 0 || status === 429 || status >= 500) return EXIT.unavailable;
  return EXIT.usage;
}

export function exitCodeForState(state: string): number {
  if (state === 'succeeded') return EXIT.ok;
  if (state === 'cancelled') return EXIT.jobCancelled;
  return EXIT.jobFailed;
}
