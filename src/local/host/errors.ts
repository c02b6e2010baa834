// Errors of the local Functions host, each with a stable code.
export class HostStartError extends Error {
  readonly code = 'HOST_START_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'HostStartError';
  }
}

export class FunctionTimeoutError extends Error {
  readonly code = 'FUNCTION_TIMEOUT';
  constructor(name: string, ms: number) {
    super(`Timeout value of ${ms} ms exceeded by function '${name}' (host.json functionTimeout).`);
    this.name = 'FunctionTimeoutError';
  }
}
