// Jobs API routes: submit, list, get, cancel, logs, and a pool's per-user usage (admins). The handlers live in src/http/jobs-api.ts.
import { app } from '@azure/functions';
import { jobsApi, withCaller } from '../http/jobs-api.js';
import { jobService } from '../services/jobs.js';

const api = jobsApi(jobService);

app.http('jobs-submit', { methods: ['POST'], route: 'jobs', authLevel: 'function', handler: withCaller(api.submit) });
app.http('jobs-list', { methods: ['GET'], route: 'jobs', authLevel: 'function', handler: withCaller(api.list) });
app.http('jobs-get', { methods: ['GET'], route: 'jobs/{id}', authLevel: 'function', handler: withCaller(api.get) });
app.http('jobs-cancel', { methods: ['POST'], route: 'jobs/{id}/cancel', authLevel: 'function', handler: withCaller(api.cancel) });
app.http('jobs-logs', { methods: ['GET'], route: 'jobs/{id}/logs', authLevel: 'function', handler: withCaller(api.logs) });
app.http('pools-usage', { methods: ['GET'], route: 'pools/{pool}/usage', authLevel: 'function', handler: withCaller(api.usage, 'admin') });
