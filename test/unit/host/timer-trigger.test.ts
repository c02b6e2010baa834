// Timer runs never overlap; occurrences a slow run overran collapse into one immediate, past-due run.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegisteredFunction } from '../../../src/local/host/core-api.js';
import type { Invoker } from '../../../src/local/host/invoker.js';
import { parseSchedule } from '../../../src/local/host/timer-schedule.js';
import { TimerTrigger } from '../../../src/local/host/timer-trigger.js';

const fn = { functionId: '1', metadata: { name: 'tick', bindings: {} }, callback: () => undefined } as RegisteredFunction;

function slowInvoker(runMs: number) {
  const runs: { start: number; end: number; payload: { IsPastDue: boolean; ScheduleStatus: { Last: string; Next: string } } }[] = [];
  const invoker = {
    invoke: vi.fn(async (_fn: unknown, _trigger: string, input: { inputData: { data: { json: string } }[] }) => {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, runMs));
      runs.push({ start, end: Date.now(), payload: JSON.parse(input.inputData[0]!.data.json) });
      return { ok: true, invocationId: 'x', response: {} };
    }),
  };
  return { invoker: invoker as unknown as Invoker, runs };
}

describe('TimerTrigger', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00.500Z') }));
  afterEach(() => vi.useRealTimers());

  it('fires on the schedule, not past due, when runs are quick', async () => {
    const { invoker, runs } = slowInvoker(100);
    const timer = new TimerTrigger(fn, 'timer', parseSchedule('*/1 * * * * *'), invoker);
    timer.start(false);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs.map((r) => new Date(r.start).toISOString())).toEqual([
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:02.000Z',
      '2026-01-01T00:00:03.000Z',
    ]);
    expect(runs.every((r) => !r.payload.IsPastDue)).toBe(true);
    expect(runs[1]!.payload.ScheduleStatus).toMatchObject({ Last: '2026-01-01T00:00:01.000Z', Next: '2026-01-01T00:00:03.000Z' });
    await timer.stop();
  });

  it('never overlaps: a 3.5 s run on a 1 s schedule is followed by one past-due run, not three', async () => {
    const { invoker, runs } = slowInvoker(3_500);
    const timer = new TimerTrigger(fn, 'timer', parseSchedule('*/1 * * * * *'), invoker);
    timer.start(false);
    await vi.advanceTimersByTimeAsync(8_100);
    expect(runs.map((r) => r.start - runs[0]!.start)).toEqual([0, 3_500]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    expect(runs.map((r) => r.payload.IsPastDue)).toEqual([false, true]);
    const stopping = timer.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    await stopping;
  });

  it('queues a manual run behind the one in progress', async () => {
    const { invoker, runs } = slowInvoker(1_000);
    const timer = new TimerTrigger(fn, 'timer', parseSchedule('0 0 0 1 1 *'), invoker);
    const first = timer.runOnce();
    const second = timer.runOnce();
    await vi.advanceTimersByTimeAsync(2_100);
    await Promise.all([first, second]);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.start).toBeGreaterThanOrEqual(runs[0]!.end);
  });
});
