// Drives one timer-triggered function. Runs never overlap: each run waits for the previous one, and when a slow
// run overruns one or more occurrences they are coalesced into a single immediate run marked isPastDue.
import type { RegisteredFunction } from './core-api.js';
import type { InvocationOutcome, Invoker } from './invoker.js';
import type { TimerSchedule } from './timer-schedule.js';

/** A scheduled fire that starts later than this is "past due". */
const PAST_DUE_AFTER_MS = 1_000;
const NEVER = new Date('0001-01-01T00:00:00.000Z');
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface TimerInfoPayload {
  Schedule: { AdjustForDST: boolean };
  ScheduleStatus: { Last: string; Next: string; LastUpdated: string };
  IsPastDue: boolean;
}

export class TimerTrigger {
  private chain: Promise<unknown> = Promise.resolve();
  private handle: NodeJS.Timeout | undefined;
  private stopped = false;
  private last: Date = NEVER;
  private lastUpdated: Date = NEVER;

  constructor(
    private readonly fn: RegisteredFunction,
    private readonly bindingName: string,
    private readonly schedule: TimerSchedule,
    private readonly invoker: Invoker,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get name(): string {
    return this.fn.metadata.name;
  }

  /** Schedule mode: arms the timer (and runs once first when runOnStartup is set). */
  start(runOnStartup: boolean): void {
    if (runOnStartup) {
      const now = this.now();
      this.fireAt(now, false);
    } else {
      this.arm(this.schedule.next(this.now()));
    }
  }

  /** One run now, after any run in progress (manual runs from tests and the admin API). */
  async runOnce(): Promise<InvocationOutcome> {
    return this.enqueue(this.now(), false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.handle);
    await this.chain.catch(() => undefined);
  }

  private arm(due: Date): void {
    if (this.stopped) return;
    const wait = due.getTime() - this.now().getTime();
    // setTimeout cannot wait longer than ~24.8 days; re-arm in steps.
    this.handle = setTimeout(
      () => (wait > MAX_TIMEOUT_MS ? this.arm(due) : this.fireAt(due, true)),
      Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)),
    );
  }

  /** `overran`: this occurrence passed while the previous run was still going, so it is past due by definition. */
  private fireAt(due: Date, scheduled: boolean, overran = false): void {
    const pastDue = overran || (scheduled && this.now().getTime() - due.getTime() > PAST_DUE_AFTER_MS);
    void this.enqueue(due, pastDue).then(() => {
      if (this.stopped) return;
      const now = this.now();
      let next = this.schedule.next(due);
      if (next.getTime() > now.getTime()) return this.arm(next);
      // The run overran: coalesce every missed occurrence into one run now.
      let latest = next;
      for (let i = 0; i < 10_000 && next.getTime() <= now.getTime(); i++) {
        latest = next;
        next = this.schedule.next(next);
      }
      this.fireAt(latest, true, true);
    });
  }

  private enqueue(due: Date, isPastDue: boolean): Promise<InvocationOutcome> {
    const run = this.chain.then(() => this.invoke(due, isPastDue));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async invoke(due: Date, isPastDue: boolean): Promise<InvocationOutcome> {
    const payload: TimerInfoPayload = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: this.last.toISOString(),
        Next: this.schedule.next(due).toISOString(),
        LastUpdated: this.lastUpdated.toISOString(),
      },
      IsPastDue: isPastDue,
    };
    const outcome = await this.invoker.invoke(this.fn, 'timer', {
      inputData: [{ name: this.bindingName, data: { json: JSON.stringify(payload) } }],
    });
    this.last = due;
    this.lastUpdated = this.now();
    return outcome;
  }
}
