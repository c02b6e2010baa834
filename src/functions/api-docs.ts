// GET /api/docs: the rendered API reference (Swagger UI, served by the app) and its static files.
import { app } from '@azure/functions';
import { apiDocsResponse } from '../http/api-docs.js';

app.http('api-docs', {
  methods: ['GET'],
  route: 'docs/{file?}',
  authLevel: 'anonymous',
  handler: async (request) => apiDocsResponse(request.params.file, request.headers.get('accept-encoding'), request.url),
});
