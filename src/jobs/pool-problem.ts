// Why a Batch pool cannot grow, in words a user waiting on it can act on. Batch reports a failed resize only on the
// pool (resizeErrors, e.g. AccountCoreQuotaReached) while the job's task simply waits, so without this a user sees
// `dispatched` forever. Pure: made from the pool snapshot sync reads every tick anyway.
import type { DescribedPool } from './batch-policy.js';
import type { PoolSnapshot } from './batch.port.js';

function adviceFor(code: string, vmSize: string): string {
  if (/quota/i.test(code)) return `ask your admin to raise the Batch core quota for ${vmSize}`;
  if (/^(AllocationFailed|AllocationTimedout|OverconstrainedAllocationRequest)$/i.test(code)) {
    return `Azure has no spare ${vmSize} capacity in the region just now; sync asks again every tick`;
  }
  return "ask your admin to look at the pool's resize errors in the Batch account";
}

/** A sentence saying why the pool cannot grow, or undefined when its last resize had no error. */
export function poolProblem(policy: DescribedPool, pool: PoolSnapshot): string | undefined {
  const error = pool.resizeErrors[0];
  if (!error) return undefined;
  const kind = policy.gpusPerNode > 0 ? 'GPU' : 'CPU';
  return `${kind} pool '${policy.name}' cannot grow (${pool.currentDedicatedNodes} node(s) running): ${error.code} — ${adviceFor(error.code, policy.vmSize)}`;
}
