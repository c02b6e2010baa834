// A dependency the health endpoint checks. `fatal` probes decide 200 vs 503; the others are information.
export interface HealthProbe {
  name: string;
  fatal: boolean;
  /** Resolves with an optional detail when healthy; rejects (or aborts) when not. */
  check(signal: AbortSignal): Promise<string | void>;
}
