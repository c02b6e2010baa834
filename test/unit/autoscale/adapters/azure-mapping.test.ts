// The pure parts of the Azure adapters: provider states → neutral states, metric timeseries → sessions per VM,
// and Azure errors → stable codes.
import { describe, expect, it } from 'vitest';
import { sessionsByInstance } from '../../../../src/azure/metrics.js';
import { classifyArmError } from '../../../../src/azure/vmss-errors.js';
import { instanceStateOf } from '../../../../src/azure/vmss.js';

const vm = (provisioningState: string, power: string) => ({ provisioningState, instanceView: { statuses: [{ code: `ProvisioningState/${provisioningState.toLowerCase()}` }, { code: `PowerState/${power}` }] } });

describe('instanceStateOf', () => {
  it.each([
    ['Succeeded', 'running', 'running'],
    ['Creating', 'starting', 'creating'],
    ['Updating', 'starting', 'starting'],
    ['Updating', 'deallocating', 'deallocating'],
    ['Succeeded', 'deallocated', 'deallocated'],
    ['Succeeded', 'stopped', 'stopped'],
    ['Deleting', 'stopping', 'deleting'],
    ['Failed', 'running', 'failed'],
    ['Succeeded', 'weird', 'unknown'],
  ])('%s + PowerState/%s → %s', (prov, power, expected) => {
    expect(instanceStateOf(vm(prov, power))).toBe(expected);
  });
});

const series = (instanceId: string, kind: string, points: [string, number | undefined][]) => ({
  metadatavalues: [{ name: { value: 'instanceid' }, value: instanceId }, { name: { value: 'kind' }, value: kind }],
  data: points.map(([t, maximum]) => ({ timeStamp: new Date(t), ...(maximum === undefined ? {} : { maximum }) })),
});

describe('sessionsByInstance', () => {

  it('sums kinds per minute and finds latest, maximum, first/last sample and last busy minute', () => {
    const m = sessionsByInstance({
      value: [
        {
          id: 'x', type: 'x', unit: 'Count', name: { value: 'ActiveSessions' },
          timeseries: [
            series('0', 'jupyter', [['2026-01-01T10:00:00Z', 1], ['2026-01-01T10:01:00Z', 0], ['2026-01-01T10:02:00Z', 0]]),
            series('0', 'ssh', [['2026-01-01T10:00:00Z', 2], ['2026-01-01T10:01:00Z', 1], ['2026-01-01T10:02:00Z', 0]]),
            series('1', 'jupyter', [['2026-01-01T10:00:00Z', undefined], ['2026-01-01T10:01:00Z', 0]]),
            series('2', 'jupyter', [['2026-01-01T10:00:00Z', undefined]]),
          ],
        },
      ],
    } as never);
    expect(m.get('0')).toEqual({
      hasData: true, latest: 0, maxInWindow: 3,
      firstSampleAt: new Date('2026-01-01T10:00:00Z'), lastSampleAt: new Date('2026-01-01T10:02:00Z'), lastBusyAt: new Date('2026-01-01T10:01:00Z'),
      unbrokenSince: new Date('2026-01-01T10:00:00Z'),
    });
    expect(m.get('1')).toMatchObject({ hasData: true, latest: 0, maxInWindow: 0, firstSampleAt: new Date('2026-01-01T10:01:00Z'), lastBusyAt: undefined });
    expect(m.has('2')).toBe(false);
  });
});

describe('sessionsByInstance after a restart', () => {
  it('dates the newest unbroken run of samples from the first post after a gap (the VM was deallocated)', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m)).toISOString();
    const points: [string, number][] = [[at(0), 0], [at(1), 0], [at(2), 0], [at(20), 0], [at(21), 0]];
    const m = sessionsByInstance({ value: [{ id: 'x', type: 'x', unit: 'Count', name: { value: 'ActiveSessions' }, timeseries: [series('0', 'ssh', points)] }] } as never);
    expect(m.get('0')).toMatchObject({ firstSampleAt: new Date(at(0)), unbrokenSince: new Date(at(20)) });
  });
});

describe('classifyArmError', () => {
  it.each([
    [{ statusCode: 429, message: 'slow down' }, 'ARM_THROTTLED'],
    [{ statusCode: 409, message: 'conflict' }, 'ARM_CONFLICT'],
    [{ statusCode: 404, message: 'gone' }, 'NOT_FOUND'],
    [{ statusCode: 500, message: 'oops' }, 'ARM_UNAVAILABLE'],
    [{ statusCode: 503, message: 'busy' }, 'ARM_UNAVAILABLE'],
    [new Error('The long-running operation has failed. AllocationFailed. No capacity.'), 'ARM_LRO_FAILED'],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'ARM_TIMEOUT'],
    [{ code: 'ECONNREFUSED', message: 'refused' }, 'ARM_UNAVAILABLE'],
    [{ statusCode: 400, message: 'bad' }, 'ARM_ERROR'],
  ])('%j → %s', (error, code) => {
    const e = classifyArmError(error, 'do a thing');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^do a thing: /);
  });
});
