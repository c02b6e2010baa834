// GET/PUT /api/pools/{pool}/policy for admins: PUT validates the whole row against the policies union, then writes.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { config } from '../config.js';
import { callerOf } from '../http/identity.js';
import { adminOnly, poolsProblem } from '../http/pools-problem.js';
import { jobsProblem } from '../http/jobs-problem.js';
import { problem } from '../http/problem.js';
import { unauthenticated } from '../http/unauthenticated.js';
import { invalidFields } from '../http/request.js';
import { parsePolicy } from '../policies/policy.js';
import { autoscaleService } from '../services/autoscale.js';
import { jobService } from '../services/jobs.js';

const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const MAX_POLICY_BYTES = 32 * 1024;

async function handle(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const c = config();
  const who = callerOf(request, { adminRole: c.adminRole, devIdentity: c.devIdentity });
  if (!who) return unauthenticated();
  if (!who.isAdmin) return adminOnly();
  const pool = request.params.pool ?? '';
  try {
    if (request.method === 'GET') {
      const row = await autoscaleService().getPolicy(pool);
      if (!row) return problem({ status: 404, code: 'POLICY_NOT_FOUND', title: 'Policy not found', detail: `Pool "${pool}" has no policy; create it with PUT /api/pools/${pool}/policy.` });
      const parsed = parsePolicy(row.fields);
      return { status: 200, jsonBody: { pool, policy: parsed.ok ? parsed.value : row.fields, problems: parsed.ok ? undefined : parsed.problems } };
    }
    if (!POOL_NAME.test(pool)) return invalidFields('pool name', [{ field: 'pool', message: 'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit' }]);
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
    if (parsed.value.kind === 'batch') {
      // Batch describes its own pool: a policy naming a pool it does not have (or cannot describe) is refused now,
      // not discovered later by every job routed there.
      const described = await jobService().describePolicy({ ...parsed.value, name: pool });
      if (!described.ok) {
        return problem({ status: 422, code: 'BATCH_POOL_UNUSABLE', title: 'Batch pool cannot take jobs', detail: `${described.reason}.`, errors: [{ field: 'poolId', message: described.reason }] });
      }
    }
    await autoscaleService().putPolicy(pool, parsed.value);
    context.log(JSON.stringify({ event: 'autoscale.policy-updated', pool, by: who.user }));
    return { status: 200, jsonBody: { pool, policy: parsed.value } };
  } catch (error) {
    if ((error as { name?: string }).name === 'JobsError') return jobsProblem(error);
    return poolsProblem(error);
  }
}

app.http('pools-policy', { methods: ['GET', 'PUT'], route: 'pools/{pool}/policy', authLevel: 'function', handler: handle });
