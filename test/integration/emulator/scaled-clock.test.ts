import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/local/emulator/index.js';
import { computeClient } from './emulator-clients.js';

let emulator: Emulator;

beforeAll(async () => {
  // One real millisecond is 100 simulated seconds: anything a request starts is done by the next request.
  emulator = await startEmulator({ port: 0, clock: { speed: 100_000 } });
});
afterAll(async () => emulator?.stop());

describe('scaled clock (npm start mode)', () => {
  it('runs operations and VM boots on simulated time without anyone moving the clock', async () => {
    emulator.compute.createScaleSet({ resourceGroup: 'rg-scaled', name: 'pool', capacity: 0 });
    const client = computeClient(emulator);
    const before = emulator.clock.now().getTime();
    await client.virtualMachineScaleSets.update('rg-scaled', 'pool', { sku: { capacity: 2 } });
    const states: string[] = [];
    for await (const vm of client.virtualMachineScaleSetVMs.list('rg-scaled', 'pool', { expand: 'instanceView' })) {
      states.push(vm.instanceView!.statuses!.find((s) => s.code!.startsWith('PowerState/'))!.code!);
    }
    expect(states).toEqual(['PowerState/running', 'PowerState/running']);
    expect(emulator.clock.mode).toBe('scaled');
    expect(emulator.clock.now().getTime() - before).toBeGreaterThanOrEqual(180_000);
  });
});
