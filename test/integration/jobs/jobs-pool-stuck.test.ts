// A Batch pool that cannot grow (core quota) is visible on the jobs waiting for it, not just `dispatched` forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobsStack, type JobsStack } from './jobs-stack.js';

describe('a pool stuck growing', () => {
  let s: JobsStack;
  beforeAll(async () => {
    s = await startJobsStack({}, { gpuQuotaNodes: 1 });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('tells the user of a waiting job why, until the job runs; sync clears the line once the pool resizes cleanly', async () => {
    const spec = (name: string) => ({ name, commandLine: 'python train.py', resources: { gpus: 1 }, env: { EMULATOR_TASK_SECONDS: '600' } });
    const a = await s.submit(spec('first'));
    const b = await s.submit(spec('second'));
    const cpu = await s.submit({ name: 'cpu-side', commandLine: 'python etl.py', env: { EMULATOR_TASK_SECONDS: '1200' } });
    // Batch gives the one node to either task: whichever runs first is `first`.
    await s.tickUntil(a, ['dispatched', 'running']);
    await s.tickUntil(b, ['dispatched', 'running']);
    let first: string | undefined;
    for (let i = 0; i < 30 && !first; i++) {
      for (const id of [a, b]) if (!first && (await s.job(id)).state === 'running') first = id;
      if (!first) await s.tick();
    }
    expect(first, 'one GPU job runs').toBeDefined();
    const second = first === a ? b : a;
    await s.tick();

    // Two GPU jobs want two nodes; the quota allows one: the second waits, and says why.
    const waiting = await s.job(second);
    expect(waiting.state).toBe('dispatched');
    expect(waiting.waitingFor).toMatch(/^GPU pool 'gpu' cannot grow \(1 node\(s\) running\): AccountCoreQuotaReached — ask your admin to raise the Batch core quota for Standard_NC4as_T4_v3$/);
    const listed = await s.api('GET', '/jobs?state=dispatched');
    expect(listed.body.items.find((j: { id: string }) => j.id === second)?.waitingFor).toBe(waiting.waitingFor);
    // The running GPU job and the CPU job (on a pool that grew fine) carry no such line.
    expect((await s.job(first!)).waitingFor).toBeUndefined();
    expect((await s.tickUntil(cpu, ['running'])).waitingFor).toBeUndefined();
    expect(s.logs.some((l) => /jobsync pool gpu: POOL_CANNOT_GROW GPU pool 'gpu' cannot grow/.test(l))).toBe(true);

    // The first job ends, the second takes its node and runs: the line goes away with the wait.
    const running = await s.tickUntil(second, ['running'], 40);
    expect(running.waitingFor).toBeUndefined();
    await s.tickUntil(second, ['succeeded'], 40);
    // Idle, the pool shrinks to 0 with a clean resize, and sync clears the recorded problem.
    for (let i = 0; i < 20 && (await s.store.getPoolState('gpu')).problem; i++) await s.tick();
    expect((await s.store.getPoolState('gpu')).problem).toBeUndefined();
    expect(s.emulator.batch.killedTasks()).toBe(0);
  });
});
