// The REST shapes of a VMSS and a VMSS VM (Uniform orchestration) as ARM returns them: model fields under
// `properties`, instance view statuses as `ProvisioningState/…` and `PowerState/…` codes.
import { powerStateOf, provisioningStateOf, type EmulatedInstance } from './instance.js';
import { BACKEND_POOL, IP_CONFIGURATION_NAME, loadBalancerId, NIC_NAME } from '../network/load-balancer.js';
import type { ScaleSetRecord } from './scale-set-registry.js';

export function scaleSetBody(r: ScaleSetRecord, provisioningState: 'Succeeded' | 'Updating'): Record<string, unknown> {
  return {
    name: r.name,
    id: r.id,
    type: 'Microsoft.Compute/virtualMachineScaleSets',
    location: r.location,
    sku: { name: r.vmSize, tier: 'Standard', capacity: r.model.capacity },
    properties: {
      singlePlacementGroup: true,
      orchestrationMode: 'Uniform',
      upgradePolicy: { mode: 'Manual' },
      scaleInPolicy: { rules: [r.model.scaleInRule], forceDeletion: false },
      virtualMachineProfile: {
        osProfile: { computerNamePrefix: r.name, adminUsername: 'azureuser', linuxConfiguration: { disablePasswordAuthentication: true } },
        storageProfile: {
          imageReference: { publisher: 'microsoft-dsvm', offer: 'ubuntu-2204', sku: '2204-gen2', version: 'latest' },
          osDisk: { createOption: 'FromImage', caching: 'ReadWrite', managedDisk: { storageAccountType: 'Premium_LRS' } },
        },
        // As infra/app/pool.bicep declares it: one NIC whose IP configuration joins the load balancer's backend pool.
        networkProfile: {
          networkInterfaceConfigurations: [{
            name: NIC_NAME,
            properties: {
              primary: true,
              ipConfigurations: [{
                name: IP_CONFIGURATION_NAME,
                properties: {
                  primary: true,
                  subnet: { id: `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Network/virtualNetworks/vnet-${r.name}/subnets/pool` },
                  loadBalancerBackendAddressPools: [{ id: `${loadBalancerId(r)}/backendAddressPools/${BACKEND_POOL}` }],
                },
              }],
            },
          }],
        },
      },
      provisioningState,
      overprovision: false,
      doNotRunExtensionsOnOverprovisionedVMs: false,
      uniqueId: r.uniqueId,
      timeCreated: r.timeCreated,
    },
  };
}

/**
 * A VMSS VM's instance view: what `$expand=instanceView` embeds and what `…/virtualMachines/{id}/instanceView`
 * returns (azure-rest-api-specs ComputeRP examples VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json).
 */
export function vmInstanceView(r: ScaleSetRecord, i: EmulatedInstance): Record<string, unknown> {
  const time = new Date(i.stateSinceMs).toISOString();
  const provisioning = provisioningStateOf(i.state).toLowerCase();
  const power = powerStateOf(i.state);
  return {
    platformUpdateDomain: 0,
    platformFaultDomain: 0,
    computerName: computerNameOf(r, i),
    osName: 'ubuntu',
    osVersion: '22.04',
    statuses: [
      { code: `ProvisioningState/${provisioning}`, level: 'Info', displayStatus: `Provisioning ${provisioning}`, time },
      { code: `PowerState/${power}`, level: 'Info', displayStatus: `VM ${power}` },
    ],
  };
}

/**
 * The scale set's instance view: its own provisioning status and the count of its VMs per provisioning state
 * (azure-rest-api-specs ComputeRP examples VirtualMachineScaleSet_GetInstanceView_MaximumSet_Gen.json).
 */
export function scaleSetInstanceView(r: ScaleSetRecord, provisioningState: 'Succeeded' | 'Updating', since: Date): Record<string, unknown> {
  const counts = new Map<string, number>();
  for (const i of r.model.instances()) {
    const code = `ProvisioningState/${provisioningStateOf(i.state).toLowerCase()}`;
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const own = provisioningState.toLowerCase();
  return {
    virtualMachine: { statusesSummary: [...counts].map(([code, count]) => ({ code, count })) },
    extensions: [],
    statuses: [{ code: `ProvisioningState/${own}`, level: 'Info', displayStatus: `Provisioning ${own}`, time: since.toISOString() }],
    orchestrationServices: [],
  };
}

function computerNameOf(r: ScaleSetRecord, i: EmulatedInstance): string {
  return `${r.name}${Number(i.instanceId).toString(36).padStart(6, '0')}`;
}

export function vmBody(r: ScaleSetRecord, i: EmulatedInstance, vmId: string, expandInstanceView: boolean): Record<string, unknown> {
  const computerName = computerNameOf(r, i);
  const properties: Record<string, unknown> = {
    latestModelApplied: true,
    vmId,
    hardwareProfile: { vmSize: r.vmSize },
    osProfile: { computerName, adminUsername: 'azureuser' },
    provisioningState: provisioningStateOf(i.state),
    protectionPolicy: { protectFromScaleIn: i.protectFromScaleIn, protectFromScaleSetActions: i.protectFromScaleSetActions },
    timeCreated: new Date(i.createdMs).toISOString(),
  };
  if (expandInstanceView) properties.instanceView = vmInstanceView(r, i);
  return {
    name: `${r.name}_${i.instanceId}`,
    id: `${r.id}/virtualMachines/${i.instanceId}`,
    type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    location: r.location,
    instanceId: i.instanceId,
    sku: { name: r.vmSize, tier: 'Standard' },
    properties,
  };
}
