// Run Command on an emulated VMSS VM: recognises the two drain-contract lines and answers as the session reporter
// on a real VM would; any other script runs "successfully" with empty output. The result has the shape Azure's
// RunShellScript gives: one status whose message holds the script's stdout and stderr.
import { DRAIN_COMMAND, UNDRAIN_COMMAND } from '../../../autoscale/drain-contract.js';
import { ComputeModelError } from './errors.js';
import type { PoolModel } from './pool-model.js';

export interface RunCommandInput {
  commandId: string;
  script: string[];
}

export function parseRunCommandInput(body: unknown): RunCommandInput {
  const b = (body ?? {}) as { commandId?: unknown; script?: unknown };
  if (typeof b.commandId !== 'string' || b.commandId === '') throw new ComputeModelError('InvalidParameter', 'commandId is required, e.g. "RunShellScript".');
  if (b.script !== undefined && !(Array.isArray(b.script) && b.script.every((l) => typeof l === 'string'))) {
    throw new ComputeModelError('InvalidParameter', 'script must be a list of strings (the lines of the script).');
  }
  return { commandId: b.commandId, script: (b.script as string[] | undefined) ?? [] };
}

/** Runs the script on the instance (changing the model for drain/undrain) and returns its stdout. */
export function runScript(model: PoolModel, instanceId: string, input: RunCommandInput): string {
  const script = input.script.map((l) => l.trim()).join('\n');
  if (script === DRAIN_COMMAND) {
    const s = model.drain(instanceId);
    return JSON.stringify({ drained: true, ssh: s.ssh, jupyter: s.jupyter });
  }
  if (script === UNDRAIN_COMMAND) {
    model.undrain(instanceId);
    return JSON.stringify({ drained: false });
  }
  return '';
}

export function runCommandResult(stdout: string): { value: Record<string, string>[] } {
  return {
    value: [
      {
        code: 'ProvisioningState/succeeded',
        level: 'Info',
        displayStatus: 'Provisioning succeeded',
        message: `Enable succeeded: \n[stdout]\n${stdout}\n[stderr]\n\n`,
      },
    ],
  };
}
