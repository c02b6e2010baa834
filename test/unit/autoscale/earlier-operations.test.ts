import { describe, expect, it } from 'vitest';
import { earlierOperations, failedGrowth } from '../../../src/autoscale/earlier-operations.js';
import { observation, vm } from './factories.js';

describe('earlierOperations: what an accepted operation came to, seen by the next evaluation', () => {
  it('keeps a drained VM drained and the operation pending while the scale set is still Updating', () => {
    const seen = observation([vm(0, { state: 'running' }), vm(1)], { provisioningState: 'Updating' });
    expect(earlierOperations(['deallocate 0'], ['0'], seen)).toEqual({ pending: ['deallocate 0'], settled: [], stillDrained: ['0'], settledDrained: [] });
  });

  it('keeps a drained VM that is still deallocating on the list even once the scale set reads Succeeded', () => {
    const seen = observation([vm(0, { state: 'deallocating' })]);
    expect(earlierOperations(['deallocate 0'], ['0'], seen)).toMatchObject({ stillDrained: ['0'], settledDrained: [], settled: ['deallocate 0: VM 0 deallocating (did not take effect)'] });
  });

  it('hands back a VM whose accepted deallocate failed (it still runs) to be undrained, and says so', () => {
    const seen = observation([vm(0, { state: 'running' }), vm(1, { state: 'deallocated' })]);
    expect(earlierOperations(['deallocate 0,1'], ['0', '1'], seen)).toEqual({
      pending: [],
      settled: ['deallocate 0,1: VM 0 running (did not take effect), VM 1 deallocated'],
      stillDrained: [],
      settledDrained: ['0', '1'],
    });
  });

  it('leaves nothing pending, settled or drained when the newest evaluation left nothing', () => {
    const none = { pending: [], settled: [], stillDrained: [], settledDrained: [] };
    expect(earlierOperations(undefined, undefined, observation([vm(0)], { provisioningState: 'Updating' }))).toEqual(none);
    expect(earlierOperations(undefined, undefined, observation([vm(0)]))).toEqual(none);
  });

  it.each([
    ['delete 2', [vm(1)], 'delete 2: VM 2 gone'],
    ['delete 1', [vm(1, { state: 'running' })], 'delete 1: VM 1 running (did not take effect)'],
    ['start 1', [vm(1, { state: 'running' })], 'start 1: VM 1 running'],
    ['start 1', [vm(1, { state: 'deallocated' })], 'start 1: VM 1 deallocated (did not take effect)'],
    ['setCapacity 1', [vm(1)], 'setCapacity 1: capacity 1'],
    ['setCapacity 3', [vm(1)], 'setCapacity 3: capacity 1 (did not take effect)'],
    ['setCapacity 12', [vm(1)], 'setCapacity 12: capacity 1 (did not take effect)'],
    ['start 1', [vm(1, { state: 'starting' })], 'start 1: VM 1 starting'],
    ['deallocate 2', [vm(1)], 'deallocate 2: VM 2 gone'],
    ['protect 1', [vm(1)], 'protect 1: no longer running'],
    ['setCapacity 3 again', [vm(1)], 'setCapacity 3 again: no longer running'],
    ['resetCapacity 3', [vm(1)], 'resetCapacity 3: no longer running'],
    ['undelete 1', [vm(1)], 'undelete 1: no longer running'],
    ['start 1 now', [vm(1)], 'start 1 now: no longer running'],
  ])('%s ends as %s', (op, instances, said) => {
    expect(earlierOperations([op], undefined, observation(instances, { capacity: instances.length })).settled).toEqual([said]);
  });
});

describe('failedGrowth', () => {
  it('reports a start or capacity change that did not take effect as ARM_LRO_FAILED, and nothing else', () => {
    expect(failedGrowth(['start 0: VM 0 deallocated (did not take effect)'])).toEqual({ code: 'ARM_LRO_FAILED', step: 'start 0', message: expect.stringContaining('Azure accepted start 0 and it did not take effect (VM 0 deallocated (did not take effect))') });
    expect(failedGrowth(['setCapacity 3: capacity 2 (did not take effect)'])?.step).toBe('setCapacity 3');
    expect(failedGrowth(['start 0: VM 0 running', 'deallocate 1: VM 1 running (did not take effect)'])).toBeUndefined();
    expect(failedGrowth(undefined)).toBeUndefined();
  });
});
