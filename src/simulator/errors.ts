// Errors of the simulator as values with a stable code, so the CLI (and any other entry point) can map them.
export type SimulatorErrorCode = 'TRACE_INVALID' | 'TRACE_EMPTY' | 'POLICY_INVALID' | 'OPTION_INVALID';

export interface TraceProblem {
  /** 1-based line in the trace file. */
  line: number;
  /** The field at fault, e.g. 'start'; undefined when the whole line is at fault. */
  field?: string;
  message: string;
}

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
    readonly problems: TraceProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
