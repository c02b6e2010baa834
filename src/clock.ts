// The one source of "now" for the app. In Azure it is the system clock. A host may install another clock
// (the local stack installs the emulator's simulated clock) under a process-wide symbol, so every copy of
// this module sees the same one.
export interface Clock {
  now(): Date;
  /**
   * Simulated seconds per real second (the local stack's clock runs 60×); absent for the real clock. Pages that count
   * down for people divide by it, so they show real seconds.
   */
  speed?: number;
}

/** Real milliseconds until an app-clock time: what a person will actually wait. */
export function realMsUntil(at: Date, c: Clock = clock()): number {
  return (at.getTime() - c.now().getTime()) / (c.speed ?? 1);
}

const key = Symbol.for('dsvm-pool.clock');
const systemClock: Clock = { now: () => new Date() };

type WithClock = typeof globalThis & { [key]?: Clock };

export function installClock(clock: Clock | undefined): void {
  (globalThis as WithClock)[key] = clock;
}

export function clock(): Clock {
  return (globalThis as WithClock)[key] ?? systemClock;
}
