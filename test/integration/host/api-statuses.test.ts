// Each route answers the error statuses the OpenAPI document lists for it: real requests against the local stack
// provoke each documented status (401, 400, 403, 404, 409, 413, 415, 422, 503), and each answer must be listed for its
// operation, carry problem+json, and link (`type`) to a README anchor that exists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLE, authHeaders } from '../../support/identity.js';
import { openApiDocument } from '../../../src/http/openapi.js';
import { poolFixture } from '../autoscale/pool-fixture.js';
import { projectRoot, startTestStack, type TestStack } from '../../support/stack.js';

/** The one place this file makes test identities. */
// Entra tokens from the stack's issuer, minted in beforeAll (probes() is rebuilt in each test, after it).
let ALICE: Record<string, string> = {};
let ADMIN: Record<string, string> = {};
const JSON_TYPE = { 'content-type': 'application/json' };

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

interface Probe {
  /** What is provoked, for the test name. */
  what: string;
  method: string;
  /** The OpenAPI path template the request falls under. */
  template: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  code: string;
}

let stack: TestStack;
let disabledPool = '';
let slowPool = '';

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
  ALICE = await authHeaders(stack, 'alice@example.com');
  ADMIN = await authHeaders(stack, 'admin@example.com', [ADMIN_ROLE]);
  const disabled = poolFixture(stack, 'status-disabled');
  expect((await disabled.putPolicy({ enabled: false })).status).toBe(200);
  disabledPool = disabled.pool;
  const slow = poolFixture(stack, 'status-throttled');
  expect((await slow.putPolicy({})).status).toBe(200);
  slowPool = slow.pool;
});
afterAll(async () => {
  await stack?.stop();
});

const job = JSON.stringify({ name: 'probe', commandLine: 'echo hi' });
const probes = (): Probe[] => [
  { what: 'no caller', method: 'POST', template: '/jobs', path: 'jobs', headers: JSON_TYPE, body: job, status: 401, code: 'UNAUTHENTICATED' },
  { what: 'text body', method: 'POST', template: '/jobs', path: 'jobs', headers: { ...ALICE, 'content-type': 'text/plain' }, body: job, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'a 70 KiB spec', method: 'POST', template: '/jobs', path: 'jobs', headers: { ...ALICE, ...JSON_TYPE }, body: JSON.stringify({ name: 'big', commandLine: 'x'.repeat(70_000) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { what: 'broken JSON', method: 'POST', template: '/jobs', path: 'jobs', headers: { ...ALICE, ...JSON_TYPE }, body: '{"name":', status: 400, code: 'INVALID_JSON' },
  { what: "someone else's jobs", method: 'GET', template: '/jobs', path: 'jobs?user=bob@example.com', headers: ALICE, status: 403, code: 'LIST_FORBIDDEN' },
  { what: "everyone's jobs", method: 'GET', template: '/jobs', path: 'jobs?user=*', headers: ALICE, status: 403, code: 'LIST_FORBIDDEN' },
  { what: 'an unknown job', method: 'GET', template: '/jobs/{id}', path: 'jobs/no-such-job', headers: ALICE, status: 404, code: 'JOB_NOT_FOUND' },
  { what: 'cancelling an unknown job', method: 'POST', template: '/jobs/{id}/cancel', path: 'jobs/no-such-job/cancel', headers: ALICE, status: 404, code: 'JOB_NOT_FOUND' },
  { what: 'no caller', method: 'GET', template: '/pools', path: 'pools', status: 401, code: 'UNAUTHENTICATED' },
  { what: 'an unknown pool', method: 'GET', template: '/pools/{pool}', path: 'pools/no-such-pool', headers: ALICE, status: 404, code: 'POOL_NOT_FOUND' },
  // One pool asked for: Azure trouble is the answer (README "Pools API"), a 503 with Retry-After.
  { what: 'Azure throttling the status read', method: 'GET', template: '/pools/{pool}', path: `pools/${slowPool}`, headers: ALICE, status: 503, code: 'ARM_THROTTLED' },
  { what: 'top=0', method: 'GET', template: '/pools/{pool}/events', path: 'pools/any/events?top=0', headers: ALICE, status: 400, code: 'VALIDATION_FAILED' },
  { what: 'an unknown pool', method: 'GET', template: '/pools/{pool}/events', path: 'pools/no-such-pool/events', headers: ALICE, status: 404, code: 'POOL_NOT_FOUND' },
  { what: 'an unknown Batch pool', method: 'GET', template: '/pools/{pool}/usage', path: 'pools/no-such-pool/usage', headers: ADMIN, status: 404, code: 'POOL_NOT_FOUND' },
  { what: 'an unknown pool', method: 'POST', template: '/pools/{pool}/wake', path: 'pools/no-such-pool/wake', headers: ALICE, status: 404, code: 'POOL_NOT_FOUND' },
  { what: 'a disabled pool', method: 'POST', template: '/pools/{pool}/wake', path: `pools/${disabledPool}/wake`, headers: ALICE, status: 409, code: 'POOL_DISABLED' },
  { what: 'a disabled pool', method: 'GET', template: '/pools/{pool}/connect', path: `pools/${disabledPool}/connect`, headers: ALICE, status: 409, code: 'POOL_DISABLED' },
  { what: 'a disabled pool', method: 'POST', template: '/pools/{pool}/sessions', path: `pools/${disabledPool}/sessions`, headers: { ...ALICE, ...JSON_TYPE }, body: '{}', status: 409, code: 'POOL_DISABLED' },
  { what: 'text body', method: 'POST', template: '/pools/{pool}/sessions', path: `pools/${disabledPool}/sessions`, headers: { ...ALICE, 'content-type': 'text/plain' }, body: '{}', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'an unknown kind', method: 'POST', template: '/pools/{pool}/sessions', path: 'pools/any/sessions', headers: { ...ALICE, ...JSON_TYPE }, body: JSON.stringify({ kind: 'rdp' }), status: 400, code: 'VALIDATION_FAILED' },
  { what: 'an unknown pool', method: 'POST', template: '/pools/{pool}/sessions', path: 'pools/no-such-pool/sessions', headers: { ...ALICE, ...JSON_TYPE }, body: '{}', status: 404, code: 'POOL_NOT_FOUND' },
  { what: 'a non-admin', method: 'GET', template: '/pools/{pool}/policy', path: `pools/${disabledPool}/policy`, headers: ALICE, status: 403, code: 'FORBIDDEN' },
  { what: 'no policy', method: 'GET', template: '/pools/{pool}/policy', path: 'pools/no-such-pool/policy', headers: ADMIN, status: 404, code: 'POLICY_NOT_FOUND' },
  { what: 'a 40 KiB policy', method: 'PUT', template: '/pools/{pool}/policy', path: 'pools/big/policy', headers: { ...ADMIN, ...JSON_TYPE }, body: JSON.stringify({ kind: 'vmss', connectUrl: 'x'.repeat(40_000) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { what: 'an invalid field', method: 'PUT', template: '/pools/{pool}/policy', path: 'pools/bad/policy', headers: { ...ADMIN, ...JSON_TYPE }, body: JSON.stringify({ kind: 'vmss', maxInstances: -1 }), status: 400, code: 'VALIDATION_FAILED' },
  { what: 'an unknown file', method: 'GET', template: '/docs/{file}', path: 'docs/nope.js', status: 404, code: 'FILE_NOT_FOUND' },
];

describe('every error a route answers is in its OpenAPI responses', () => {
  it.each(probes().map((p) => [`${p.method} ${p.template}: ${p.what} → ${p.status} ${p.code}`, p] as const))('%s', async (_name, probe) => {
    // The pool names are set in beforeAll; rebuild the probe so it sees them.
    const p = probes().find((q) => q.what === probe.what && q.template === probe.template && q.method === probe.method)!;
    const fault = p.code === 'ARM_THROTTLED' ? stack.emulator.faults.add({ operation: 'compute.vmssvm.list', kind: 'status', status: 429, count: 5 }) : undefined;
    try {
      const res = await fetch(`${stack.host.url}/api/${p.path}`, { method: p.method, headers: p.headers, body: p.body, redirect: 'manual' });
      const body = (await res.json()) as { code: string; type: string; detail: string };
      expect({ status: res.status, code: body.code }).toEqual({ status: p.status, code: p.code });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      if (p.status === 503) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Object.keys(doc.paths[p.template]?.[p.method.toLowerCase()]?.responses ?? {}), `${p.method} ${p.template} documents ${p.status}`).toContain(String(p.status));
      expect(readme).toContain(`id="${new URL(body.type).hash.slice(1)}"`);
    } finally {
      if (fault) stack.emulator.faults.remove(fault);
    }
  });

  it('names the admin role a 403 asks for', async () => {
    const res = await fetch(`${stack.host.url}/api/pools/${disabledPool}/policy`, { headers: ALICE });
    expect(((await res.json()) as { detail: string }).detail).toContain('"DsvmPool.Admin"');
  });

  it('answers 422 when an Idempotency-Key comes back with another body', async () => {
    const headers = { ...ALICE, ...JSON_TYPE, 'idempotency-key': 'probe-422' };
    expect((await fetch(`${stack.host.url}/api/jobs`, { method: 'POST', headers, body: job })).status).toBe(202);
    const res = await fetch(`${stack.host.url}/api/jobs`, { method: 'POST', headers, body: JSON.stringify({ name: 'other', commandLine: 'echo bye' }) });
    expect({ status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(Object.keys(doc.paths['/jobs']!.post!.responses)).toContain('422');
  });
});
