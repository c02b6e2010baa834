import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { emulatorFetch } from './emulator-clients.js';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-'));
  emulator = await startEmulator({ port: 0, connectionInfoFile: join(dir, 'emulator.json'), clock: { start: new Date('2026-03-02T08:00:00Z') } });
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const control = (path: string, method = 'GET', body?: unknown) => emulatorFetch(emulator, `/_emulator${path}`, { method, body, token: null });

describe('control API under /_emulator', () => {
  it('writes the connection info file with the URL and a CA file holding the PEM', () => {
    const info = JSON.parse(readFileSync(join(dir, 'emulator.json'), 'utf8')) as { url: string; caFile: string };
    expect(info.url).toBe(emulator.url);
    expect(readFileSync(info.caFile, 'utf8')).toBe(emulator.caPem);
  });

  it('creates a scale set, moves the clock, sets sessions and users, and dumps the state', async () => {
    const created = await control('/scalesets', 'POST', { resourceGroup: 'rg-c', name: 'pool', capacity: 3 });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await control('/clock', 'POST', { seconds: 180 })).body).toEqual({ now: '2026-03-02T08:03:00.000Z' });
    expect((await control('/sessions', 'POST', { scaleSet: id, instanceId: '0', jupyter: 2 })).status).toBe(204);
    expect((await control('/users', 'POST', { scaleSet: 'pool', users: 8, kind: 'ssh' })).body).toEqual({ unplaced: 0 });
    expect((await control('/reporting', 'POST', { scaleSet: 'pool', instanceId: '2', enabled: false })).status).toBe(204);
    const state = (await control('/state')).body as { now: string; scaleSets: { capacity: number; instances: { state: string; sessions: { jupyter: number; ssh: number }; reporting: boolean }[] }[] };
    expect(state, JSON.stringify(state)).toHaveProperty('now', '2026-03-02T08:03:00.000Z');
    const [pool] = state.scaleSets;
    expect(pool!.capacity).toBe(3);
    expect(pool!.instances.map((i) => i.state)).toEqual(['running', 'running', 'running']);
    expect(pool!.instances[0]!.sessions.jupyter).toBe(2);
    expect(pool!.instances.reduce((n, i) => n + i.sessions.ssh, 0)).toBe(8);
    expect(pool!.instances.map((i) => i.reporting)).toEqual([true, true, false]);
  });

  it('answers the clock with its speed: simulated seconds per real second, left out for a manual clock', async () => {
    const manual = (await control('/clock')).body as { now: string; speed?: number };
    expect(manual).toEqual({ now: emulator.clock.now().toISOString() });
    const scaled = await startEmulator({ port: 0, clock: { speed: 60 } });
    try {
      expect((await emulatorFetch(scaled, '/_emulator/clock', { token: null })).body).toMatchObject({ now: expect.any(String), speed: 60 });
    } finally {
      await scaled.stop();
    }
  });

  it('sets, lists and removes fault rules, and counts calls per operation', async () => {
    const added = await control('/faults', 'POST', { operation: 'compute.vmss.get', kind: 'status', status: 429, count: 1 });
    expect(added.status).toBe(201);
    const { id } = added.body as { id: string };
    expect((await control('/faults')).body).toMatchObject({ value: [{ id, operation: 'compute.vmss.get', count: 1 }] });
    expect((await control(`/faults/${id}`, 'DELETE')).status).toBe(204);
    expect((await control(`/faults/${id}`, 'DELETE')).status).toBe(404);
    const calls = (await control('/calls?operation=control.*')).body as { count: number; byOperation: Record<string, number> };
    expect(calls.byOperation['control.addFault']).toBe(1);
    expect(calls.count).toBeGreaterThan(5);
  });

  it('is never faulted itself, so a catch-all rule can be removed over HTTP', async () => {
    const { id } = (await control('/faults', 'POST', { operation: '*', kind: 'status', status: 503 })).body as { id: string };
    expect((await control('/state')).status).toBe(200);
    expect((await control(`/faults/${id}`, 'DELETE')).status).toBe(204);
  });

  it('rejects bad input with 400 and says what is missing or wrong', async () => {
    expect(await control('/sessions', 'POST', { instanceId: '0' })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/scaleSet/) } } });
    expect(await control('/faults', 'POST', { operation: '*', kind: 'status', status: 418 })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/429, 409, 500 or 503/) } } });
    expect(await control('/users', 'POST', { scaleSet: 'nope', users: 1 })).toMatchObject({ status: 400, body: { error: { code: 'ScaleSetNotFound' } } });
    expect(await control('/clock', 'POST', {})).toMatchObject({ status: 400 });
  });

  it('resets everything but the clock', async () => {
    expect((await control('/reset', 'POST')).status).toBe(204);
    const state = (await control('/state')).body as { now: string; scaleSets: unknown[]; faults: unknown[] };
    expect([state.scaleSets, state.faults, state.now]).toEqual([[], [], '2026-03-02T08:03:00.000Z']);
  });
});
