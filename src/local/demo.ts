// Demo data for `npm start`: a scale set at capacity 0, GPU and CPU Batch pools at 0 nodes, and their policies.
// Each part of the product adds its own seeding here.
export interface DemoContext {
  /** AzureWebJobsStorage connection string of the local Azurite. */
  storageConnectionString: string;
  /** Base URL of the local emulator (ARM, Monitor and Batch). */
  emulatorUrl: string;
}

export async function seedDemo(_ctx: DemoContext): Promise<void> {
  // Filled in by the autoscale and job-service parts.
}
