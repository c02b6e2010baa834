// Bounds how many tasks hold a slot at once, and lets a task step out of its slot while it waits on something that
// the bound is not about. The autoscale tick runs pools under one limiter (ARM calls per pool) and drains under
// another (Run Command on VMs), so a pool waiting 30 s on its drains does not keep another pool from being evaluated.

/** Runs `inner` without holding the caller's slot, and takes a slot again before returning. */
export type StepOutside = <U>(inner: () => Promise<U>) => Promise<U>;

export class SlotLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {}

  /** Runs `task` in a slot; `task` may call `outside` to give the slot up while it waits. */
  async run<T>(task: (outside: StepOutside) => Promise<T>): Promise<T> {
    await this.acquire();
    let held = true;
    let finished = false;
    const outside: StepOutside = async (inner) => {
      if (held) {
        held = false;
        this.release();
      }
      try {
        return await inner();
      } finally {
        await this.acquire();
        // A task abandoned by its caller (a timeout) may come back after run() returned: give the slot straight back.
        if (finished) this.release();
        else held = true;
      }
    };
    try {
      return await task(outside);
    } finally {
      finished = true;
      if (held) {
        held = false;
        this.release();
      }
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
