// GET /api/health: the app's version and the state of each dependency; 200 when every storage dependency answers,
// 503 with the details when one does not.
import { app, type HttpResponseInit } from '@azure/functions';
import { healthReport } from '../services/health.js';

export async function health(): Promise<HttpResponseInit> {
  const report = await healthReport();
  return {
    status: report.status === 'healthy' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
    jsonBody: report,
  };
}

app.http('health', { methods: ['GET'], route: 'health', authLevel: 'anonymous', handler: health });
