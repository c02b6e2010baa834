// Dependencies ("run B after A") and fair share (per-user limits in the batch policy), over HTTP against Azurite,
// the Batch emulator and the host: a held job stays queued with waitingFor saying why, goes when the dependency
// succeeds or the user's own jobs finish, and fails with a clear reason when a dependency fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, startJobsStack, type JobsStack } from './jobs-stack.js';

describe('dependencies and fair share', () => {
  let s: JobsStack;
  const admin = { user: 'root', admin: true } as const;
  beforeAll(async () => {
    s = await startJobsStack();
    // The policy cache read before the limit exists (a job pinned to a pool reads the policies at submit)...
    await s.submit({ name: 'warm', commandLine: 'x', pool: 'cpu', env: { EMULATOR_TASK_SECONDS: '10' } }, 'carl');
    // ...then the GPU pool gets a per-user limit: dispatch reads policies through that cache, 15 s of app time, so the
    // fair-share test below moves the emulator's clock that far first.
    const put = await s.api('PUT', '/pools/gpu/policy', {
      ...admin,
      body: { kind: 'batch', poolId: 'gpu', maxNodes: 2, idleMinutesBeforeScaleDown: 5, maxRunningGpusPerUser: 1 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const quick = (name: string, extra: Record<string, unknown> = {}) => ({ name, commandLine: 'python step.py', env: { EMULATOR_TASK_SECONDS: '60' }, ...extra });

  it('runs B after A succeeds; B waits meanwhile, saying for what', async () => {
    const a = await s.submit(quick('prepare'));
    const b = await s.submit(quick('train', { dependsOn: [a] }));
    await s.waitFor(a, ['dispatched', 'running']);
    // B's message may reach dispatch after A's: wait until dispatch has held B (it stays queued either way).
    await pollUntil(async () => Boolean((await s.job(b)).waitingFor), 'dispatch to hold B');
    const waiting = await s.job(b);
    expect(waiting.state).toBe('queued');
    expect(waiting.waitingFor).toMatch(new RegExp(`^waiting for your job prepare \\(${a}\\) is (queued|dispatching|dispatched|running) to succeed$`));
    expect((await s.tickUntil(a, ['succeeded'])).state).toBe('succeeded');
    expect((await s.tickUntil(b, ['succeeded', 'failed'])).state).toBe('succeeded');
  });

  it('fails a job whose dependency fails, naming it', async () => {
    const a = await s.submit(quick('broken', { env: { EMULATOR_TASK_SECONDS: '20', EMULATOR_EXIT_CODE: '2' } }));
    const b = await s.submit(quick('after-broken', { dependsOn: [a] }));
    await s.tickUntil(a, ['failed']);
    const failed = await s.tickUntil(b, ['failed'], 5);
    expect(failed.reason).toContain(`dependency broken (${a}) failed: the command exited with code 2`);
  });

  it("refuses another user's job, a missing job, a malformed id and a failed job as dependencies; nothing is written", async () => {
    const bobs = await s.submit(quick('bobs'), 'bob');
    const failed = await s.submit(quick('dead', { env: { EMULATOR_TASK_SECONDS: '10', EMULATOR_EXIT_CODE: '1' } }));
    await s.tickUntil(failed, ['failed']);
    const rows = await s.tableRows();
    const cases: [unknown, number, string, string][] = [
      [[bobs], 422, 'dependsOn.0', 'of yours'],
      [['0123456789ab-1234567890123-abcdef'], 422, 'dependsOn.0', 'of yours'],
      [['not-a-job'], 400, 'dependsOn.0', 'must be a job id'],
      [[failed], 422, 'dependsOn.0', 'already failed'],
      [[failed, failed], 400, 'dependsOn', 'twice'],
      ['x', 400, 'dependsOn', ''],
    ];
    for (const [dependsOn, status, field, message] of cases) {
      const r = await s.api('POST', '/jobs', { body: quick('bad-deps', { dependsOn }) });
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.find((e: { field: string }) => e.field === field)?.message ?? '').toContain(message);
    }
    expect(await s.tableRows()).toBe(rows);
  });

  it('holds a job over the per-user GPU limit with waitingFor, lets other users go, and releases it when the user\'s own job ends', async () => {
    s.emulator.clock.advance(15_000); // the policy cache's age, on the app clock
    const gpu = (name: string, seconds = 300) => quick(name, { resources: { gpus: 1 }, env: { EMULATOR_TASK_SECONDS: String(seconds) } });
    const first = await s.submit(gpu('ann-1'));
    await s.waitFor(first, ['dispatched']);
    const second = await s.submit(gpu('ann-2', 60));
    await pollUntil(async () => (await s.job(second)).waitingFor !== undefined, 'the second GPU job to be held');
    const held = await s.job(second);
    expect(held.state).toBe('queued');
    expect(held.waitingFor).toBe("your GPU limit on pool 'gpu': 1 of 1 in use, this job needs 1; it starts when your own jobs there finish");
    const bobs = await s.submit(gpu('bob-1', 60), 'bob');
    expect((await s.waitFor(bobs, ['dispatched', 'running'])).pool).toBe('gpu');

    await s.tick(0); // usage is recorded by sync
    const usage = await s.api('GET', '/pools/gpu/usage', admin);
    expect(usage.status).toBe(200);
    expect(usage.body.users.find((u: { user: string }) => u.user === 'ann')).toMatchObject({ gpus: 1, held: 1 });
    expect((await s.api('GET', '/pools/gpu/usage', { user: 'ann' })).status).toBe(403);

    expect((await s.tickUntil(first, ['succeeded'], 20)).state).toBe('succeeded');
    const released = await s.tickUntil(second, ['succeeded', 'failed'], 20);
    expect(released.state).toBe('succeeded');
    expect(Date.parse(released.startTime!)).toBeGreaterThanOrEqual(Date.parse((await s.job(first)).endTime!));
  });

  it('refuses an invalid per-user limit at PUT naming the field', async () => {
    const r = await s.api('PUT', '/pools/gpu/policy', { ...admin, body: { kind: 'batch', poolId: 'gpu', maxRunningGpusPerUser: -2 } });
    expect((await s.api('GET', '/pools/gpu/policy', admin)).body.policy.maxRunningGpusPerUser).toBe(1);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: 'maxRunningGpusPerUser', message: 'must be at least 0' }]);
  });
});
