// How long ago an app time was, in real time, for people. Job times (`submittedAt`, …) are on the app's clock: in
// Azure the system clock; locally (`npm start`) the emulator's simulated clock, ahead of the real one and 60× faster.
// So when the CLI talks to a local emulator it asks it once for its now and speed (`GET /_emulator/clock` →
// `{ now, speed }`) and divides; anywhere else, or when that read fails, it uses the system clock.
import { readFileSync } from 'node:fs';
import { requestJson } from './emulator-http.js';
import type { CliSettings } from './settings.js';

/** The app's clock as the CLI saw it at one moment. */
export interface AppTime {
  /** The app's now, in ms since the Unix epoch. */
  nowMs: number;
  /** App seconds per real second: 60 under `npm start`; 1 for the system clock (and for a manual test clock). */
  speed: number;
}

/** The system clock: the app's clock in Azure. */
export const systemTime = (): AppTime => ({ nowMs: Date.now(), speed: 1 });

/**
 * "42s ago", "5m ago", "3h ago": real time from `iso` (an app-clock ISO time) to `at`, never negative. Seconds below
 * 120 s, minutes below 2 h, hours above, each rounded to the nearest.
 */
export function ago(iso: string, at: AppTime): string {
  const s = Math.max(0, Math.round((at.nowMs - Date.parse(iso)) / at.speed / 1000));
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}

/**
 * The app's clock: with an `emulatorUrl` (a local stack), the emulator's `GET /_emulator/clock` (trusting
 * `emulatorCaFile`); a manual clock answers no speed and counts as 1. Without one, or when the read fails or takes
 * longer than `timeoutInMs`, the system clock. Never throws.
 */
export async function readAppTime(s: Pick<CliSettings, 'emulatorUrl' | 'emulatorCaFile'>, timeoutInMs = 1000): Promise<AppTime> {
  if (!s.emulatorUrl) return systemTime();
  try {
    const ca = s.emulatorCaFile ? readFileSync(s.emulatorCaFile, 'utf8') : undefined;
    const answer = await requestJson(`${s.emulatorUrl.replace(/\/+$/, '')}/_emulator/clock`, { method: 'GET', ca, timeoutInMs });
    if (answer.status !== 200) return systemTime();
    const body = answer.json as { now?: unknown; speed?: unknown } | undefined;
    const nowMs = typeof body?.now === 'string' ? Date.parse(body.now) : NaN;
    if (Number.isNaN(nowMs)) return systemTime();
    return { nowMs, speed: typeof body?.speed === 'number' && body.speed > 0 ? body.speed : 1 };
  } catch {
    return systemTime();
  }
}
