// Poison: a `jobs` message that failed dispatch maxDequeueCount times fails its job with the last dispatch error.
import { app, type InvocationContext } from '@azure/functions';
import { parseDispatchMessage } from '../jobs/job-queue.port.js';
import { jobService } from '../services/jobs.js';

app.storageQueue('poison', {
  queueName: 'jobs-poison',
  connection: 'AzureWebJobsStorage',
  handler: async (message: unknown, context: InvocationContext) => {
    const parsed = parseDispatchMessage(message);
    if (!parsed) {
      context.warn(`poison: dropped a message that is not {"jobId": "…"}`);
      return;
    }
    context.log(`poison ${parsed.jobId}: ${await jobService().poison(parsed.jobId)}`);
  },
});
