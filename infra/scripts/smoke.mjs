#!/usr/bin/env node
// Smoke test of a deployed dsvm-pool, with a real Entra token, as README "Deployment" → "Verify" describes:
//   1. GET /api/health (no token: App Service authentication excludes it)  → 200
//   2. GET /api/pools with the token                                       → 200, the pools listed
//   3. POST /api/jobs, a no-op job (/bin/true on the cpu pool)             → 202, then GET it back → 200,
//      then cancel it so no Batch node starts (--wait instead waits until it has run, a few minutes and a node's cost)
//
//   node infra/scripts/smoke.mjs [--wait]
// Reads (azd puts the deployment's outputs in the environment: `azd env get-values`):
//   API_URL, DSVMPOOL_API_RESOURCE, AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME
// and gets a token with `az account get-access-token --resource $DSVMPOOL_API_RESOURCE` and the function key with
// `az functionapp keys list`. DSVMPOOL_TOKEN / DSVMPOOL_FUNCTION_KEY override both (e.g. against the local stack).
// Exit 0 when every step passed; otherwise 1, with the step and the answer printed.
import { execFileSync } from 'node:child_process';

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run with the deployment's outputs, e.g. \`azd env get-values\``);
  return value;
};
const az = (...args) => execFileSync('az', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const apiUrl = required('API_URL').replace(/\/+$/, '');
const token = process.env.DSVMPOOL_TOKEN || az('account', 'get-access-token', '--resource', required('DSVMPOOL_API_RESOURCE'), '--query', 'accessToken', '-o', 'tsv');
const functionKey =
  process.env.DSVMPOOL_FUNCTION_KEY ??
  az('functionapp', 'keys', 'list', '-g', required('AZURE_RESOURCE_GROUP'), '-n', required('AZURE_FUNCTION_APP_NAME'), '--query', 'functionKeys.default', '-o', 'tsv');
const wait = process.argv.includes('--wait');

async function call(step, method, path, { auth = true, body, expect = [200] } = {}) {
  const headers = { accept: 'application/json' };
  if (auth) {
    headers.authorization = `Bearer ${token}`;
    if (functionKey) headers['x-functions-key'] = functionKey;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!expect.includes(response.status)) {
    console.error(`FAIL ${step}: ${method} ${path} → ${response.status} ${text.slice(0, 500)}`);
    process.exit(1);
  }
  console.log(`ok   ${step}: ${method} ${path} → ${response.status}`);
  return json;
}

const health = await call('health', 'GET', '/health', { auth: false });
console.log(`     status ${health?.status ?? '?'}`);
const pools = await call('list pools', 'GET', '/pools');
const names = (pools?.items ?? []).map((p) => p.pool);
console.log(`     pools: ${names.join(', ') || '(none)'}`);
const job = await call('submit a no-op job', 'POST', '/jobs', {
  body: { name: 'smoke-noop', commandLine: '/bin/true', pool: 'cpu', resources: { cpus: 1, memoryGiB: 1 }, timeoutMinutes: 10 },
  expect: [202],
});
const id = job?.id;
if (!id) {
  console.error(`FAIL submit a no-op job: no id in ${JSON.stringify(job)}`);
  process.exit(1);
}
const read = await call('read the job back', 'GET', `/jobs/${encodeURIComponent(id)}`);
console.log(`     job ${id}: ${read?.state ?? '?'}`);
if (wait) {
  const until = Date.now() + 30 * 60_000;
  for (;;) {
    const now = await call('wait for the job', 'GET', `/jobs/${encodeURIComponent(id)}`);
    const state = now?.state;
    if (['succeeded', 'failed', 'cancelled'].includes(state)) {
      if (state === 'failed') process.exit(1);
      break;
    }
    if (Date.now() > until) {
      console.error('FAIL the job did not finish within 30 minutes');
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 20_000));
  }
} else {
  await call('cancel the job (no node needed)', 'POST', `/jobs/${encodeURIComponent(id)}/cancel`, { expect: [200, 202] });
}
console.log('smoke test passed');
