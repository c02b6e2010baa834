// GET /api/health on the whole local stack (Azurite + emulator + host running the compiled app): healthy, then
// a storage outage (503 naming the storage dependencies, the host keeps running), then recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppStorage } from '../../../src/local/app-storage.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

interface Report {
  status: string;
  version: string;
  dependencies: { name: string; status: string; fatal: boolean; detail?: string }[];
}

describe('GET /api/health', () => {
  let stack: TestStack;
  let restarted: TestAzurite | undefined;
  const get = async (): Promise<{ status: number; body: Report }> => {
    const res = await fetch(`${stack.host.url}/api/health`);
    return { status: res.status, body: (await res.json()) as Report };
  };
  const dep = (r: Report, name: string) => r.dependencies.find((d) => d.name === name);

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await restarted?.stop();
  });

  it('gives checkedAt in real time, not the emulator clock the app runs on', async () => {
    stack.emulator.clock.advance(3 * 60 * 60_000);
    const before = Date.now();
    const res = await fetch(`${stack.host.url}/api/health`);
    const checkedAt = Date.parse(((await res.json()) as { checkedAt: string }).checkedAt);
    expect(checkedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(checkedAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(Math.abs(stack.emulator.clock.now().getTime() - checkedAt)).toBeGreaterThan(2 * 60 * 60_000);
  });

  it('answers 200 with the version and every dependency ok, anonymously', async () => {
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.version).toBe('0.1.0');
    expect(dep(body, 'table')).toMatchObject({ status: 'ok', fatal: true });
    expect(dep(body, 'queue')).toMatchObject({ status: 'ok', fatal: true });
    expect(dep(body, 'arm')).toMatchObject({ status: 'ok', fatal: false, detail: expect.stringMatching(/^reachable \(HTTP 401, as expected without a token; only the connection is checked here: .*GET \/api\/pools\)$/) });
    expect(dep(body, 'batch')).toMatchObject({ status: 'ok', fatal: false });
  });

  it('answers 503 naming table and queue while Azurite is down, and the host keeps serving', async () => {
    await stack.azurite.stop();
    const { status, body } = await get();
    expect(status).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(dep(body, 'table')).toMatchObject({ status: 'failed', detail: expect.any(String) });
    expect(dep(body, 'queue')).toMatchObject({ status: 'failed', detail: expect.any(String) });
    expect(dep(body, 'arm')?.status).toBe('ok'); // the emulator is still up
    expect((await get()).status).toBe(503); // still answering
  });

  it('recovers once storage is back (an in-memory Azurite comes back empty, so it names the missing tables first)', async () => {
    restarted = await startAzurite({ ports: stack.azurite.ports });
    const empty = await get();
    expect(empty.status).toBe(503);
    expect(dep(empty.body, 'table')?.detail).toMatch(/tables missing: policies, scaleevents, jobs, leases/);
    await createAppStorage(restarted.connectionString);
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
  });
});
