// Dispatch: one `jobs` queue message → the job's Batch task. A thrown error leaves the message to be redelivered;
// after maxDequeueCount the host moves it to `jobs-poison`.
import { app, type InvocationContext } from '@azure/functions';
import { parseDispatchMessage } from '../jobs/job-queue.port.js';
import { jobService } from '../services/jobs.js';

app.storageQueue('dispatch', {
  queueName: 'jobs',
  connection: 'AzureWebJobsStorage',
  handler: async (message: unknown, context: InvocationContext) => {
    const parsed = parseDispatchMessage(message);
    if (!parsed) {
      context.warn(`dispatch: dropped a message that is not {"jobId": "…"}: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    const outcome = await jobService().dispatch(parsed.jobId);
    context.log(`dispatch ${outcome.jobId}: ${outcome.result} (${outcome.detail})`);
  },
});
