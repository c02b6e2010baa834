// Azurite for tests: in memory, on free ports, stopped by the test's afterAll.
// `restart` brings it back on the same ports (storage-outage tests).
import { startAzurite as start, type RunningAzurite } from '../../src/local/azurite.js';

export type TestAzurite = RunningAzurite;

export function startAzurite(options: { ports?: RunningAzurite['ports'] } = {}): Promise<TestAzurite> {
  return start({ blobPort: options.ports?.blob, queuePort: options.ports?.queue, tablePort: options.ports?.table });
}
