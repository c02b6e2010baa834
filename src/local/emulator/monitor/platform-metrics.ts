// The platform metrics the emulator produces for a VM Scale Set (per VM via the VMName dimension).
export const VMSS_PLATFORM_NAMESPACE = 'Microsoft.Compute/virtualMachineScaleSets';

export const VMSS_PLATFORM_METRICS: Record<string, { unit: string }> = {
  'Percentage CPU': { unit: 'Percent' },
};

export const VM_NAME_DIMENSION = 'VMName';
