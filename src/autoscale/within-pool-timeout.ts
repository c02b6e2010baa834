// The one bound on how long anything about one pool may wait for Azure (DSVMPOOL_POOL_TIMEOUT_SECONDS): its calls get
// an abort signal that fires at the bound, and the caller gets EVALUATION_TIMEOUT then, whatever Azure still does.
import { AutoscaleError } from './errors.js';

/**
 * Runs `work` with an abort signal; after `timeoutMs` (0 or undefined: no bound) the signal aborts and the promise
 * rejects with AutoscaleError EVALUATION_TIMEOUT, "`what` took longer than N s". Resolves or rejects as `work` does
 * before that.
 */
export async function withinPoolTimeout<T>(timeoutMs: number | undefined, what: string, work: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (!timeoutMs) return work(controller.signal);
  const timeout = new AutoscaleError('EVALUATION_TIMEOUT', `${what} took longer than ${Math.round(timeoutMs / 1000)} s`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(timeout);
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timedOut]);
  } catch (error) {
    // The Azure SDK rejects its request inside the abort callback, and that rejection may reach the race first (it
    // then reads as ARM_UNAVAILABLE "operation was aborted"): whatever the work threw after our abort, the answer is
    // the timeout.
    throw controller.signal.aborted ? timeout : error;
  } finally {
    clearTimeout(timer);
  }
}
