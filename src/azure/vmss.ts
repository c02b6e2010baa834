// The ScaleSet port over ARM with @azure/arm-compute: capacity, instances (power + provisioning state mapped to
// the neutral InstanceState), named-instance start/deallocate/delete, capacity, and per-VM protection.
import { ComputeManagementClient, type RunCommandResult, type VirtualMachineScaleSetVM } from '@azure/arm-compute';
import { DRAIN_COMMAND, parseDrainOutput, UNDRAIN_COMMAND } from '../autoscale/drain-contract.js';
import type { InstanceState } from '../autoscale/observation.js';
import type { CallOptions, DrainResult, ScaleSet, ScaleSetInstance, ScaleSetResolver, ScaleSetSummary } from '../autoscale/scale-set.port.js';
import { AutoscaleError } from '../autoscale/errors.js';
import type { Config } from '../config.js';
import { credentialFor, tlsOptionsFor } from './credentials.js';
import { classifyArmError } from './vmss-errors.js';

type VmssConfig = Pick<Config, 'armEndpoint' | 'credential' | 'tlsCaFile' | 'lroWaitMs' | 'armMaxRetries'>;

const TARGET = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)$/i;
/** Poll every 2 s unless ARM's Retry-After says otherwise. */
const POLL_INTERVAL_MS = 2000;

/** What the SDK's long-running methods return (@azure/core-lro PollerLike): awaitable, with submitted() and isDone. */
interface LroPoller<T> extends PromiseLike<T> {
  submitted(): Promise<void>;
  readonly isDone: boolean;
}

export function parseScaleSetId(target: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const m = TARGET.exec(target);
  if (!m) throw new AutoscaleError('POLICY_INVALID', `"${target}" is not a VM scale set resource id`);
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! };
}

/** Maps a VM's provisioning state and PowerState/… status to the neutral state decide() reasons about. */
export function instanceStateOf(vm: Pick<VirtualMachineScaleSetVM, 'provisioningState' | 'instanceView'>): InstanceState {
  const codes = vm.instanceView?.statuses?.map((s) => s.code?.toLowerCase() ?? '') ?? [];
  const power = codes.find((c) => c.startsWith('powerstate/'))?.slice('powerstate/'.length);
  const provisioning = (vm.provisioningState ?? codes.find((c) => c.startsWith('provisioningstate/'))?.slice('provisioningstate/'.length) ?? '').toLowerCase();
  if (provisioning === 'deleting') return 'deleting';
  if (provisioning === 'failed') return 'failed';
  if (provisioning === 'creating') return 'creating';
  switch (power) {
    case 'starting':
      return 'starting';
    case 'running':
      return 'running';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'deallocating':
      return 'deallocating';
    case 'deallocated':
      return 'deallocated';
    default:
      return 'unknown';
  }
}

export function createScaleSetResolver(config: VmssConfig): ScaleSetResolver {
  const clients = new Map<string, ComputeManagementClient>();
  const clientFor = (subscriptionId: string) => {
    let c = clients.get(subscriptionId);
    if (!c) {
      c = new ComputeManagementClient(credentialFor(config), subscriptionId, {
        endpoint: config.armEndpoint,
        tlsOptions: tlsOptionsFor(config),
        retryOptions: { maxRetries: config.armMaxRetries },
      });
      clients.set(subscriptionId, c);
    }
    return c;
  };
  return (target) => {
    const id = parseScaleSetId(target);
    return new ArmScaleSet(clientFor(id.subscriptionId), id.resourceGroup, id.name, config.lroWaitMs);
  };
}

class ArmScaleSet implements ScaleSet {
  private location: string | undefined;

  constructor(
    private readonly client: ComputeManagementClient,
    private readonly rg: string,
    private readonly name: string,
    private readonly lroWaitMs: number,
  ) {}

  async getCapacity(options: CallOptions = {}): Promise<ScaleSetSummary> {
    try {
      const vmss = await this.client.virtualMachineScaleSets.get(this.rg, this.name, { abortSignal: options.abortSignal });
      this.location = vmss.location;
      return { capacity: vmss.sku?.capacity ?? 0, provisioningState: vmss.provisioningState ?? 'Unknown' };
    } catch (e) {
      throw classifyArmError(e, `get scale set ${this.name}`);
    }
  }

  async listInstances(options: CallOptions = {}): Promise<ScaleSetInstance[]> {
    try {
      const out: ScaleSetInstance[] = [];
      for await (const vm of this.client.virtualMachineScaleSetVMs.list(this.rg, this.name, { expand: 'instanceView', abortSignal: options.abortSignal })) {
        out.push({ instanceId: vm.instanceId ?? '', state: instanceStateOf(vm), protectFromScaleIn: vm.protectionPolicy?.protectFromScaleIn ?? false });
      }
      return out;
    } catch (e) {
      throw classifyArmError(e, `list instances of ${this.name}`);
    }
  }

  async setCapacity(capacity: number, options: CallOptions = {}): Promise<void> {
    await this.wait(`set capacity of ${this.name} to ${capacity}`, options, (o) => this.client.virtualMachineScaleSets.update(this.rg, this.name, { sku: { capacity } }, o));
  }

  async start(instanceIds: string[], options: CallOptions = {}): Promise<void> {
    await this.wait(`start ${this.name} instances ${instanceIds.join(',')}`, options, (o) =>
      this.client.virtualMachineScaleSets.start(this.rg, this.name, { ...o, vmInstanceIDs: { instanceIds } }),
    );
  }

  async deallocate(instanceIds: string[], options: CallOptions = {}): Promise<void> {
    await this.wait(`deallocate ${this.name} instances ${instanceIds.join(',')}`, options, (o) =>
      this.client.virtualMachineScaleSets.deallocate(this.rg, this.name, { ...o, vmInstanceIDs: { instanceIds } }),
    );
  }

  async delete(instanceIds: string[], options: CallOptions = {}): Promise<void> {
    await this.wait(`delete ${this.name} instances ${instanceIds.join(',')}`, options, (o) =>
      this.client.virtualMachineScaleSets.deleteInstances(this.rg, this.name, { instanceIds }, o),
    );
  }

  async setProtection(instanceId: string, protectFromScaleIn: boolean, options: CallOptions = {}): Promise<void> {
    // The documented minimal PUT for instance protection: location plus protectionPolicy. The location comes from
    // the observe step's GET of the scale set, so protection costs no extra read.
    if (this.location === undefined) await this.getCapacity(options);
    await this.wait(`${protectFromScaleIn ? 'protect' : 'unprotect'} ${this.name} instance ${instanceId}`, options, (o) =>
      this.client.virtualMachineScaleSetVMs.update(this.rg, this.name, instanceId, { location: this.location ?? '', protectionPolicy: { protectFromScaleIn } }, o),
    );
  }

  async drain(instanceId: string, options: CallOptions = {}): Promise<DrainResult> {
    const result = await this.runShell(`drain ${this.name} instance ${instanceId}`, instanceId, DRAIN_COMMAND, options);
    const failed = result.value?.find((s) => /failed/i.test(s.code ?? '') || s.level === 'Error');
    if (failed) return { ok: false, error: `the drain command failed on the VM: ${failed.code ?? ''} ${failed.message ?? ''}`.trim() };
    return parseDrainOutput((result.value ?? []).map((s) => s.message ?? '').join('\n'));
  }

  async undrain(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.runShell(`undrain ${this.name} instance ${instanceId}`, instanceId, UNDRAIN_COMMAND, options);
  }

  /** Run Command on one VM: an instance-level long-running POST whose final result carries the script's output. */
  private async runShell(what: string, instanceId: string, line: string, options: CallOptions): Promise<RunCommandResult> {
    // A drain's answer is the command's output, so it always waits (bounded), whatever the caller's lroWaitMs.
    return (await this.wait(what, { abortSignal: options.abortSignal }, (o) =>
      this.client.virtualMachineScaleSetVMs.beginRunCommandAndWait(this.rg, this.name, instanceId, { commandId: 'RunShellScript', script: [line] }, o),
    )) ?? {};
  }

  /**
   * Starts a long-running operation and waits for it, at most lroWaitMs (the caller's, else the adapter's) and never
   * past the caller's signal. In Azure the operation ends when the VMs have reached their new state (Learn, "Track
   * asynchronous Azure operations"), often after the wait: that is ARM_LRO_PENDING, not a failure. lroWaitMs 0
   * returns once Azure accepted the request.
   */
  private async wait<T>(what: string, options: CallOptions, begin: (o: { abortSignal: AbortSignal; updateIntervalInMs: number }) => LroPoller<T> | Promise<T>): Promise<T | undefined> {
    const acceptOnly = options.lroWaitMs === 0;
    const waitMs = options.lroWaitMs || this.lroWaitMs;
    const waitSignal = AbortSignal.timeout(waitMs);
    const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, waitSignal]) : waitSignal;
    let accepted = false;
    try {
      const poller = begin({ abortSignal, updateIntervalInMs: POLL_INTERVAL_MS });
      if (!acceptOnly || !('submitted' in poller)) return await poller;
      await poller.submitted();
      accepted = !poller.isDone;
      if (!accepted) return await poller;
    } catch (e) {
      if (options.abortSignal?.aborted) throw classifyArmError(e, `${what}: abandoned by the caller`, true);
      if (waitSignal.aborted) {
        throw new AutoscaleError('ARM_LRO_PENDING', `${what}: still running after ${Math.round(waitMs / 1000)} s; the next evaluation sees the result`, { cause: e });
      }
      throw classifyArmError(e, what);
    }
    throw new AutoscaleError('ARM_LRO_PENDING', `${what}: accepted and still running; the next evaluation sees the result`);
  }
}
