// The observe step: what it asks Azure and the session metrics for, and how it joins the answers.
import { describe, expect, it } from 'vitest';
import { metricWindowMinutes, observePool } from '../../../src/autoscale/observe.js';
import { minutesBefore, NOW, policy, sessions, vm } from './factories.js';
import { RecordingScaleSet } from './fakes.js';

describe('metricWindowMinutes', () => {
  it('is the longer of the idle window and the stopped grace, plus 5 minutes', () => {
    expect(metricWindowMinutes(policy({ idleMinutesBeforeScaleIn: 20, deallocateStoppedAfterMinutes: 15 }))).toBe(25);
    expect(metricWindowMinutes(policy({ idleMinutesBeforeScaleIn: 10, deallocateStoppedAfterMinutes: 30 }))).toBe(35);
  });
});

describe('observePool', () => {
  it('reads the metric window back from now, and gives a VM without samples no data', async () => {
    const set = new RecordingScaleSet([vm(1), vm(2)], 3);
    set.provisioningState = 'Updating';
    const ranges: { from: Date; to: Date }[] = [];
    const metrics = {
      read: async (_target: string, range: { from: Date; to: Date }) => {
        ranges.push(range);
        return new Map([['1', sessions({ latest: 2 })]]);
      },
    };
    const o = await observePool('lab', policy({ idleMinutesBeforeScaleIn: 20, deallocateStoppedAfterMinutes: 15 }), set, metrics, NOW, {});
    expect(ranges).toEqual([{ from: minutesBefore(NOW, 25), to: NOW }]);
    expect(o).toEqual({
      pool: 'lab', capacity: 3, provisioningState: 'Updating',
      instances: [
        { instanceId: '1', state: 'running', protectFromScaleIn: false, sessions: sessions({ latest: 2 }) },
        { instanceId: '2', state: 'running', protectFromScaleIn: false, sessions: { hasData: false, latest: 0, maxInWindow: 0 } },
      ],
    });
  });
});
