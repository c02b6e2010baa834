// The scale sets the emulator serves, by ARM resource id (case-insensitive, as ARM ids are), each with its PoolModel.
import { randomUUID } from 'node:crypto';
import { PoolModel, type PoolTimings } from './pool-model.js';

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000';

export interface ScaleSetRecord {
  /** ARM resource id as created (original case). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  vmSize: string;
  uniqueId: string;
  timeCreated: string;
  model: PoolModel;
  /** VM ids ("vmId" in Azure) per instance, made up once. */
  vmIds: Map<string, string>;
}

export interface CreateScaleSetOptions {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  capacity?: number;
  location?: string;
  vmSize?: string;
  /** Initial instances start running instead of booting. */
  startRunning?: boolean;
}

export function scaleSetResourceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`;
}

export class ScaleSetRegistry {
  private readonly byKey = new Map<string, ScaleSetRecord>();
  private seed = 1;

  constructor(private readonly timings: Partial<PoolTimings>) {}

  create(o: CreateScaleSetOptions, now: Date): ScaleSetRecord {
    const subscriptionId = o.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID;
    const id = scaleSetResourceId(subscriptionId, o.resourceGroup, o.name);
    if (this.byKey.has(id.toLowerCase())) throw new Error(`scale set ${id} already exists`);
    const record: ScaleSetRecord = {
      id, subscriptionId, resourceGroup: o.resourceGroup, name: o.name, location: o.location ?? 'westeurope', vmSize: o.vmSize ?? 'Standard_D4s_v5',
      uniqueId: randomUUID(), timeCreated: now.toISOString(), vmIds: new Map(),
      model: new PoolModel({ capacity: o.capacity ?? 0, timings: this.timings, seed: this.seed++, startRunning: o.startRunning }, now),
    };
    this.byKey.set(id.toLowerCase(), record);
    return record;
  }

  /** By resource id, or by name when it is unique. */
  get(idOrName: string): ScaleSetRecord | undefined {
    const key = idOrName.toLowerCase().replace(/\/+$/, '');
    const byId = this.byKey.get(key);
    if (byId || key.startsWith('/')) return byId;
    const named = [...this.byKey.values()].filter((r) => r.name.toLowerCase() === key);
    return named.length === 1 ? named[0] : undefined;
  }

  find(subscriptionId: string, resourceGroup: string, name: string): ScaleSetRecord | undefined {
    return this.byKey.get(scaleSetResourceId(subscriptionId, resourceGroup, name).toLowerCase());
  }

  all(): ScaleSetRecord[] {
    return [...this.byKey.values()];
  }

  vmId(record: ScaleSetRecord, instanceId: string): string {
    let vmId = record.vmIds.get(instanceId);
    if (!vmId) record.vmIds.set(instanceId, (vmId = randomUUID()));
    return vmId;
  }

  clear(): void {
    this.byKey.clear();
  }
}
