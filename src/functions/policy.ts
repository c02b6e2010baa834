// GET/PUT /api/pools/{pool}/policy for admins: PUT validates the whole row against the policies union, then writes.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { callerOf } from '../http/identity.js';
import { poolsProblem } from '../http/pools-problem.js';
import { problem } from '../http/problem.js';
import { poolNameProblem } from '../http/pool-name.js';
import { invalidFields, isJsonContentType } from '../http/request.js';
import { parsePolicy } from '../policies/policy.js';
import { autoscaleService } from '../services/autoscale.js';

const MAX_POLICY_BYTES = 32 * 1024;

async function handle(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const who = await callerOf(request, 'admin');
  if (!who.ok) return who.response;
  const pool = request.params.pool ?? '';
  const badName = poolNameProblem(pool);
  if (badName) return badName;
  try {
    if (request.method === 'GET') {
      const row = await autoscaleService().getPolicy(pool);
      if (!row) return problem({ status: 404, code: 'POLICY_NOT_FOUND', title: 'Policy not found', detail: `Pool "${pool}" has no policy; create it with PUT /api/pools/${pool}/policy.` });
      const parsed = parsePolicy(row.fields);
      return { status: 200, jsonBody: { pool, policy: parsed.ok ? parsed.value : row.fields, problems: parsed.ok ? undefined : parsed.problems } };
    }
    const contentType = request.headers.get('content-type');
    if (!isJsonContentType(contentType)) {
      return problem({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported content type', detail: `Send the policy as JSON with "Content-Type: application/json" (got ${contentType ? `"${contentType}"` : 'none'}).` });
    }
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_POLICY_BYTES) return problem({ status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Policy too large', detail: `A policy is at most ${MAX_POLICY_BYTES} bytes.` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return problem({ status: 400, code: 'INVALID_JSON', title: 'Body is not JSON', detail: 'Send the policy as a JSON object, e.g. {"kind":"vmss","target":"/subscriptions/…"}.' });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidFields('policy', [{ field: '(body)', message: 'must be a JSON object' }]);
    const parsed = parsePolicy(body as Record<string, unknown>);
    if (!parsed.ok) return invalidFields('policy', parsed.problems.map((p) => ({ field: p.field, message: p.reason })));
    await autoscaleService().putPolicy(pool, parsed.value);
    context.log(JSON.stringify({ event: 'autoscale.policy-updated', pool, by: who.caller.user }));
    return { status: 200, jsonBody: { pool, policy: parsed.value } };
  } catch (error) {
    return poolsProblem(error);
  }
}

app.http('pools-policy', { methods: ['GET', 'PUT'], route: 'pools/{pool}/policy', authLevel: 'function', handler: handle });
