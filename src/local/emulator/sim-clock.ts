// Simulated time for the emulator: a manual clock that tests move explicitly, or real time times a speed factor.
// Models subscribe with onAdvance and progress their state (VM boots, task runs, metric emission) to `now`.
export type AdvanceListener = (now: Date) => void;

export interface SimClock {
  readonly mode: 'manual' | 'scaled';
  now(): Date;
  /** Simulated seconds per real second in scaled mode. */
  readonly speed?: number;
  /** Manual mode: moves time forward and lets every model catch up. Scaled mode: jumps ahead by `ms`. */
  advance(ms: number): void;
  /** Moves to an absolute time (never backwards). */
  advanceTo(t: Date): void;
  onAdvance(listener: AdvanceListener): () => void;
  stop(): void;
}

export interface SimClockOptions {
  /** Start of simulated time; default: the current wall time. */
  start?: Date;
  /** Omit for a manual clock; e.g. 60 for "one real second is one simulated minute". */
  speed?: number;
  /** Scaled mode: how often models are told the time moved, in real ms. */
  tickIntervalInMs?: number;
}

export function createSimClock(options: SimClockOptions = {}): SimClock {
  const listeners = new Set<AdvanceListener>();
  let simNow = (options.start ?? new Date()).getTime();
  const speed = options.speed;
  let realAnchor = Date.now();
  let simAnchor = simNow;
  let timer: NodeJS.Timeout | undefined;

  const current = (): number => (speed === undefined ? simNow : simAnchor + (Date.now() - realAnchor) * speed);
  const notify = (): void => {
    const now = new Date(current());
    for (const l of listeners) l(now);
  };
  const moveTo = (t: number): void => {
    if (t <= current()) return;
    if (speed === undefined) {
      // Step through in at most one-minute strides so models never skip a minute boundary.
      while (simNow < t) {
        simNow = Math.min(t, simNow + 60_000);
        notify();
      }
    } else {
      simAnchor = t;
      realAnchor = Date.now();
      notify();
    }
  };

  if (speed !== undefined) {
    timer = setInterval(notify, options.tickIntervalInMs ?? 250);
    timer.unref();
  }

  return {
    mode: speed === undefined ? 'manual' : 'scaled',
    ...(speed !== undefined ? { speed } : {}),
    now: () => new Date(current()),
    advance: (ms) => moveTo(current() + ms),
    advanceTo: (t) => moveTo(t.getTime()),
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      if (timer) clearInterval(timer);
      listeners.clear();
    },
  };
}
