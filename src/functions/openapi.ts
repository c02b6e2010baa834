// GET /api/openapi.json: the API described from the same schemas that validate it (jobs and pools).
import { app } from '@azure/functions';
import { openApiDocument } from '../http/openapi.js';

let document: Record<string, unknown> | undefined;

app.http('openapi', {
  methods: ['GET'],
  route: 'openapi.json',
  authLevel: 'function',
  handler: async () => {
    document ??= openApiDocument();
    return { status: 200, jsonBody: document };
  },
});
