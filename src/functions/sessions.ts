// POST /api/pools/{pool}/sessions: the broker's JSON entry point (CLI, scripts). Thin: caller, body, connect, answer.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { brokerProblem, sessionAnswer } from '../http/broker-answer.js';
import { callerOf } from '../http/identity.js';
import { poolNameProblem } from '../http/pool-name.js';
import { readJsonBody } from '../http/request.js';
import { brokerServiceOf } from '../services/autoscale.js';

/** The request body: which kind of session the user wants a seat for. */
export const sessionRequestSchema = z.object({ kind: z.enum(['jupyter', 'ssh'], { message: 'must be "jupyter" or "ssh"' }).default('jupyter') }).strict();

app.http('pools-sessions', {
  methods: ['POST'],
  route: 'pools/{pool}/sessions',
  authLevel: 'function',
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const who = await callerOf(request, 'user');
    if (!who.ok) return who.response;
    const pool = request.params.pool ?? '';
    const badName = poolNameProblem(pool);
    if (badName) return badName;
    const body = await readJsonBody(request, sessionRequestSchema, { maxBytes: 1024, what: 'session request' });
    if (!body.ok) return body.response;
    try {
      const { user } = who.caller;
      const r = await brokerServiceOf().connect(pool, { user, kind: body.value.kind });
      const a = sessionAnswer(pool, user, body.value.kind, r);
      return { status: a.status, jsonBody: a.body, headers: { 'cache-control': 'no-store', ...(a.retryAfter ? { 'retry-after': String(a.retryAfter) } : {}) } };
    } catch (error) {
      context.warn(`sessions API: ${(error as Error).message}`);
      return brokerProblem(error);
    }
  },
});
