// Errors of the emulated compute model, each with a stable code the ARM routes map to Azure's error bodies.
export type ComputeErrorCode = 'InstanceNotFound' | 'InvalidParameter' | 'InstanceNotRunning' | 'InstanceDrained' | 'ScaleSetNotFound';

export class ComputeModelError extends Error {
  override readonly name = 'ComputeModelError';
  constructor(
    readonly code: ComputeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
