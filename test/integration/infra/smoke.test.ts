// infra/scripts/smoke.mjs (README "Deployment" → "Verify") against the local stack: the same script a person runs
// after `azd up`, with the token and function key given directly instead of from `az`. The caller's identity comes
// from this one helper: a token of the emulator's Entra issuer.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders } from '../../support/identity.js';
import { projectRoot } from '../../support/stack.js';
import { startJobsStack, type JobsStack } from '../jobs/jobs-stack.js';

let stack: JobsStack;

/** A bearer token the local stack accepts for `user`: minted by the emulator's Entra issuer, validated by the app. */
async function tokenFor(user: string): Promise<string> {
  return (await authHeaders(stack, user)).authorization.replace(/^Bearer /, '');
}

function smoke(env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(join(projectRoot, 'node_modules/.bin/node'), ['infra/scripts/smoke.mjs'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: '', ...env },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (status) => done({ status, out }));
  });
}

beforeAll(async () => {
  stack = await startJobsStack();
}, 120_000);
afterAll(async () => stack?.stop());

describe('smoke script', () => {
  it('checks health, lists pools, submits a no-op job, reads it back and cancels it', async () => {
    const run = await smoke({ API_URL: stack.host.url, DSVMPOOL_TOKEN: await tokenFor('smoke@example.com'), DSVMPOOL_FUNCTION_KEY: 'local' });
    expect(run.status, run.out).toBe(0);
    expect(run.out).toMatch(/ok {3}health: GET \/health → 200/);
    expect(run.out).toMatch(/ok {3}list pools: GET \/pools → 200\n {5}pools: /);
    expect(run.out).toMatch(/ok {3}submit a no-op job: POST \/jobs → 202/);
    expect(run.out).toMatch(/ok {3}cancel the job \(no node needed\): POST \/jobs\/[^ ]+\/cancel → 20[02]/);
    expect(run.out).toMatch(/smoke test passed/);
  });

  it('fails, naming the step, when the API is not there', async () => {
    const run = await smoke({ API_URL: `${stack.host.url}/nothing-here`, DSVMPOOL_TOKEN: 'x', DSVMPOOL_FUNCTION_KEY: 'local' });
    expect(run.status).toBe(1);
    expect(run.out).toMatch(/FAIL health: GET \/health → 404/);
  });
});
