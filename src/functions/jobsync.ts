// Job sync timer: reconcile Batch task states, finish cancels, re-enqueue stranded jobs, retire Batch jobs of past
// months, size the Batch pools.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { jobService } from '../services/jobs.js';

app.timer('jobsync', {
  schedule: '%DSVMPOOL_JOBSYNC_SCHEDULE%',
  handler: async (_timer: Timer, context: InvocationContext) => {
    const r = await jobService().sync();
    // A sync that moved nothing is debug-level, so an idle app's log stays quiet.
    const idle = r.activeJobs === 0 && r.transitions.length === 0 && r.requeued.length === 0 && r.retiredBatchJobs.length === 0 && r.pools.every((p) => p.action === 'none');
    (idle ? context.debug : context.log).call(
      context,
      `jobsync: ${r.activeJobs} active, ${r.transitions.length} transition(s), ${r.requeued.length} requeued, ${r.batchListCalls} Batch list call(s)` +
        (r.retiredBatchJobs.length ? `, terminated Batch job(s) ${r.retiredBatchJobs.join(', ')}` : '') +
        '; ' +
        r.pools.map((p) => `${p.pool}: ${p.action} ${p.targetDedicatedNodes ?? ''} (${p.reason})`).join('; '),
    );
    for (const e of r.errors) context.warn(`jobsync ${e.scope}: ${e.code} ${e.message}`);
  },
});
