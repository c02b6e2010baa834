// The schedule and autostop baselines on hand-made traces, on the emulator's VM model.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePresets } from '../../../src/local/simulator/generate-traces.js';
import { poolModelFactory } from '../../../src/local/simulator/simulate-files.js';
import { policyFromJson } from '../../../src/simulator/policy-file.js';
import { simulate, type BaselineName } from '../../../src/simulator/simulation.js';
import { TRACE_PRESETS } from '../../../src/simulator/team-presets.js';
import { traceOf, type TraceSession } from '../../../src/simulator/trace.js';

const t = (day: number, hhmm: string) => Date.parse(`2026-03-0${day}T${hhmm}:00Z`);
const day = { start: t(2, '00:00'), end: t(3, '00:00') };
const oneSeat = policyFromJson('{"seatsPerInstance": 1, "spareSeats": 0}');
const runOf = (sessions: TraceSession[], name: BaselineName, extra: Partial<Parameters<typeof simulate>[0]> = {}) =>
  simulate({ trace: traceOf(sessions, day), policy: oneSeat, newPool: poolModelFactory(), bootSeconds: 180, baselines: [name], ...extra }).runs.find(
    (r) => r.policy === name,
  )!;

describe('office-hours baseline', () => {
  it('runs the peak pool 08:00–19:00 on a weekday and kills whoever is still on at 19:00', () => {
    const r = runOf([{ user: 'ana', kind: 'jupyter', start: t(2, '10:00'), end: t(2, '21:00') }], 'office-hours', { officeHours: { timeZones: ['UTC'] } });
    // Started at 08:00 (60 s to running), deallocated at 19:00 (30 s): billed 11 h + 30 s.
    expect(r.vmHours).toBeCloseTo(11 + 30 / 3600, 6);
    expect(r.killedSessions).toBe(1);
    // The killed user reconnects at once and never gets a seat again that day: waits until 21:00.
    expect(r.waits).toMatchObject({ neverSeated: 1, maxSeconds: 2 * 3600 });
  });

  it('makes an early user wait for the schedule', () => {
    const r = runOf([{ user: 'ana', kind: 'ssh', start: t(2, '07:00'), end: t(2, '09:00') }], 'office-hours', { officeHours: { timeZones: ['UTC'] } });
    expect(r.waits.maxSeconds).toBe(3600 + 60);
  });
});

describe('autostop baseline', () => {
  it('stops the whole pool after the idle minutes and starts it as a whole for the next user', () => {
    const sessions: TraceSession[] = [
      { user: 'ana', kind: 'jupyter', start: t(2, '09:00'), end: t(2, '10:00') },
      { user: 'bo', kind: 'jupyter', start: t(2, '09:00'), end: t(2, '10:00') },
      { user: 'ana', kind: 'jupyter', start: t(2, '14:00'), end: t(2, '15:00') },
    ];
    const r = runOf(sessions, 'autostop', { autostopIdleMinutes: 30 });
    // 2 VMs up from midnight, stopped at 00:30; started at 09:00 (60 s) and stopped at 10:30; again at 14:00 → 15:30.
    expect(r.vmOperations).toMatchObject({ deallocated: 6, started: 4 });
    expect(r.vmHours).toBeCloseTo(2 * (0.5 + 1.5 + 1.5) + (3 * 2 * 30) / 3600, 6);
    expect(r.waits.maxSeconds).toBe(60);
    expect(r.killedSessions).toBe(0);
  });
});

describe('checked-in traces', () => {
  it('are exactly what `npm run simulate -- generate` writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'traces-'));
    try {
      await generatePresets('all', dir);
      for (const p of TRACE_PRESETS) {
        expect(await readFile(join(dir, p.file), 'utf8'), p.file).toBe(await readFile(join('traces', p.file), 'utf8'));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
