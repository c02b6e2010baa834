// GET/PUT /api/pools/{pool}/policy for admins: PUT validates the whole row against the policies union, then writes.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { callerOf } from '../http/identity.js';
import { NEW_POOL_NAME, poolsProblem } from '../http/pools-problem.js';
import { jobsProblem } from '../http/jobs-problem.js';
import { problem } from '../http/problem.js';
import { poolNameProblem } from '../http/pool-name.js';
import { invalidFields, readJsonBody } from '../http/request.js';
import { parsePolicy } from '../policies/policy.js';
import { normalizedRow } from '../policies/table-cells.js';
import { autoscaleService } from '../services/autoscale.js';
import { jobService } from '../services/jobs.js';

const MAX_POLICY_BYTES = 32 * 1024;
/** Any JSON object; parsePolicy then names each bad field. */
const policyBody = z.record(z.string(), z.unknown(), { message: 'must be a JSON object, e.g. {"kind":"vmss","target":"/subscriptions/…"}' });

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
      // An invalid row is shown as read (every cell made JSON-safe), with what is wrong.
      return { status: 200, jsonBody: { pool, policy: parsed.ok ? parsed.value : normalizedRow(row.fields), problems: parsed.ok ? undefined : parsed.problems } };
    }
    if (!NEW_POOL_NAME.test(pool)) return invalidFields('pool name', [{ field: 'pool', message: 'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit' }]);
    const body = await readJsonBody(request, policyBody, { maxBytes: MAX_POLICY_BYTES, what: 'policy' });
    if (!body.ok) return body.response;
    const parsed = parsePolicy(body.value);
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
    context.log(JSON.stringify({ event: 'autoscale.policy-updated', pool, by: who.caller.user }));
    return { status: 200, jsonBody: { pool, policy: parsed.value } };
  } catch (error) {
    if ((error as { name?: string }).name === 'JobsError') return jobsProblem(error);
    return poolsProblem(error);
  }
}

app.http('pools-policy', { methods: ['GET', 'PUT'], route: 'pools/{pool}/policy', authLevel: 'function', handler: handle });
