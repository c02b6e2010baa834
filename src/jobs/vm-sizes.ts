// What a node of a given Azure VM size offers, for routing and task slots. Batch tells us a pool's VM size (lower
// case, e.g. "standard_nc4as_t4_v3") but not its vCPUs, GPUs or memory, so the sizes our pools use are listed here.
// Source: the VM size table generated from Azure's SKU list in microsoft/aspire
// (src/Aspire.Hosting.Azure.Kubernetes/AksNodeVmSizes.cs), which matches Microsoft Learn's series pages
// (NCasT4_v3, NC A100 v4, NCads A10 v4, Dsv5, Esv5). A size missing here can be described in the policy
// (gpusPerNode, cpusPerNode, memoryGiBPerNode).

export interface VmSizeFacts {
  /** The size as Azure spells it (Batch reports it in lower case). */
  name: string;
  cpus: number;
  memoryGiB: number;
  gpus: number;
}

const sizes: Record<string, Omit<VmSizeFacts, 'name'>> = {
  // NCasT4_v3: NVIDIA T4
  Standard_NC4as_T4_v3: { cpus: 4, memoryGiB: 28, gpus: 1 },
  Standard_NC8as_T4_v3: { cpus: 8, memoryGiB: 56, gpus: 1 },
  Standard_NC16as_T4_v3: { cpus: 16, memoryGiB: 110, gpus: 1 },
  Standard_NC64as_T4_v3: { cpus: 64, memoryGiB: 440, gpus: 4 },
  // NC A100 v4
  Standard_NC24ads_A100_v4: { cpus: 24, memoryGiB: 220, gpus: 1 },
  Standard_NC48ads_A100_v4: { cpus: 48, memoryGiB: 440, gpus: 2 },
  Standard_NC96ads_A100_v4: { cpus: 96, memoryGiB: 880, gpus: 4 },
  // NCads A10 v4
  Standard_NC8ads_A10_v4: { cpus: 8, memoryGiB: 100, gpus: 1 },
  Standard_NC16ads_A10_v4: { cpus: 16, memoryGiB: 200, gpus: 1 },
  Standard_NC32ads_A10_v4: { cpus: 32, memoryGiB: 400, gpus: 2 },
  // Dsv5 / Dv5: general purpose, 4 GiB per vCPU
  ...Object.fromEntries([2, 4, 8, 16, 32, 48, 64, 96].flatMap((n) => [[`Standard_D${n}s_v5`, { cpus: n, memoryGiB: 4 * n, gpus: 0 }], [`Standard_D${n}_v5`, { cpus: n, memoryGiB: 4 * n, gpus: 0 }]])),
  // Esv5: memory optimised, 8 GiB per vCPU
  ...Object.fromEntries([2, 4, 8, 16, 32, 48, 64].map((n) => [`Standard_E${n}s_v5`, { cpus: n, memoryGiB: 8 * n, gpus: 0 }])),
};

const byLowerCase = new Map(Object.entries(sizes).map(([name, facts]) => [name.toLowerCase(), { name, ...facts }]));

/** Facts of a VM size (any case), or undefined when the table does not know it. */
export function vmSizeFacts(vmSize: string): VmSizeFacts | undefined {
  return byLowerCase.get(vmSize.toLowerCase());
}
