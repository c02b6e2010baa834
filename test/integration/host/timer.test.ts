// The local host running the fixture's timers on their schedule: NCRONTAB with seconds from a %SETTING%,
// one run at a time (a slow run delays the next), isPastDue, runOnStartup.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/local/host/index.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';

const appRoot = fileURLToPath(new URL('../../fixtures/host-app', import.meta.url));
type Event = { kind: string; at: number; invocationId?: string; isPastDue?: boolean; timer?: Record<string, unknown> };
const events = (): Event[] => (globalThis as unknown as Record<symbol, Event[]>)[Symbol.for('host-app-fixture.events')] ?? [];

describe('local host: timer triggers', () => {
  let azurite: TestAzurite;
  let host: RunningHost;

  beforeAll(async () => {
    azurite = await startAzurite();
    host = await startHost({
      appRoot,
      port: 0,
      timers: 'schedule',
      // Every second, but each run takes 1.5 s.
      env: { AzureWebJobsStorage: azurite.connectionString, TICK_SCHEDULE: '*/1 * * * * *', TICK_SLEEP_MS: '1500', FAILING_QUEUE: 'failing' },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('fires on its NCRONTAB schedule and never overlaps a run still in progress', async () => {
    await expect.poll(() => events().filter((e) => e.kind === 'tick-end').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const ticks = events().filter((e) => e.kind.startsWith('tick-'));
    // Strictly alternating start/end of the same invocation: no second start before the first ended.
    for (let i = 0; i + 1 < ticks.length; i += 2) {
      expect(ticks[i]!.kind).toBe('tick-start');
      expect(ticks[i + 1]!.kind).toBe('tick-end');
      expect(ticks[i + 1]!.invocationId).toBe(ticks[i]!.invocationId);
    }
    // The slow runs overran the 1 s schedule, so later runs were late and said so.
    expect(ticks.filter((e) => e.kind === 'tick-start').slice(1).some((e) => e.isPastDue)).toBe(true);
  });

  it('passes the timer object in the host shape', () => {
    const first = events().find((e) => e.kind === 'tick-start')!;
    expect(first.timer).toMatchObject({
      isPastDue: expect.any(Boolean),
      schedule: { adjustForDST: true },
      scheduleStatus: { last: expect.any(String), next: expect.any(String), lastUpdated: expect.any(String) },
    });
    const next = Date.parse(String((first.timer!.scheduleStatus as Record<string, unknown>).next));
    expect(next % 1000).toBe(0); // a whole second, as the schedule says
  });

  it('runs a runOnStartup timer once at start, not past due', () => {
    expect(events().filter((e) => e.kind === 'startup')).toEqual([expect.objectContaining({ isPastDue: false })]);
  });

  it('queues a manual run behind the running one (runTimer)', async () => {
    const before = events().filter((e) => e.kind === 'tick-end').length;
    await host.runTimer('tick');
    const ticks = events().filter((e) => e.kind.startsWith('tick-'));
    expect(events().filter((e) => e.kind === 'tick-end').length).toBeGreaterThan(before);
    const starts = ticks.filter((e) => e.kind === 'tick-start').length;
    const ends = ticks.filter((e) => e.kind === 'tick-end').length;
    expect(starts - ends).toBeLessThanOrEqual(1);
  });
});
