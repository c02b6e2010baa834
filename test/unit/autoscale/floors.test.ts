// The floor under a pool: minInstances, scaleToZero, schedule windows and a wake, each named for the reason.
import { describe, expect, it } from 'vitest';
import { floorAt, highestFloorAhead } from '../../../src/autoscale/floors.js';
import type { ScaleHistory } from '../../../src/autoscale/observation.js';
import type { ScheduleWindow } from '../../../src/autoscale/schedule.js';
import { minutesBefore, NOW, policy } from './factories.js';

const NO_HISTORY: ScaleHistory = {};
// NOW is Monday 10:00 UTC.
const window = (from: string, to: string, minInstances: number, name?: string): ScheduleWindow => ({ days: ['mon'], from, to, timeZone: 'UTC', minInstances, ...(name ? { name } : {}) });

describe('floorAt', () => {
  it('is nothing for a pool that may go to zero', () => {
    expect(floorAt(policy({ scaleToZero: true, minInstances: 0 }), NO_HISTORY, NOW)).toEqual({ floor: 0, source: 'nothing' });
  });

  it('names the first source of the highest floor', () => {
    expect(floorAt(policy({ scaleToZero: false, minInstances: 0 }), NO_HISTORY, NOW)).toEqual({ floor: 1, source: 'scaleToZero=false' });
    expect(floorAt(policy({ scaleToZero: false, minInstances: 1 }), NO_HISTORY, NOW)).toEqual({ floor: 1, source: 'scaleToZero=false' });
    expect(floorAt(policy({ minInstances: 2 }), NO_HISTORY, NOW)).toEqual({ floor: 2, source: 'minInstances 2' });
    expect(floorAt(policy({ minInstances: 2, schedules: [window('08:00', '18:00', 3, 'office')] }), NO_HISTORY, NOW)).toEqual({ floor: 3, source: 'schedule "office" 08:00–18:00 UTC' });
    expect(floorAt(policy({ minInstances: 2, schedules: [window('08:00', '18:00', 3)] }), NO_HISTORY, NOW)).toEqual({ floor: 3, source: 'schedule 08:00–18:00 UTC' });
  });

  it('holds one VM for a wake until wakeHoldMinutes have passed', () => {
    const p = policy({ scaleToZero: true, minInstances: 0, wakeHoldMinutes: 30 });
    expect(floorAt(p, { lastWakeAt: new Date(minutesBefore(NOW, 30).getTime() + 1) }, NOW)).toEqual({ floor: 1, source: 'a wake request' });
    expect(floorAt(p, { lastWakeAt: minutesBefore(NOW, 30) }, NOW)).toEqual({ floor: 0, source: 'nothing' });
  });
});

describe('highestFloorAhead', () => {
  const p = (schedules: ScheduleWindow[]) => policy({ scaleToZero: true, minInstances: 0, schedules });

  it('sees a window that starts at the end of the lookahead, not one a minute later', () => {
    expect(highestFloorAhead(p([window('10:10', '18:00', 2, 'soon')]), NO_HISTORY, NOW, 10)).toEqual({ floor: 2, source: 'schedule "soon" 10:10–18:00 UTC' });
    expect(highestFloorAhead(p([window('10:11', '18:00', 2, 'later')]), NO_HISTORY, NOW, 10)).toEqual({ floor: 0, source: 'nothing' });
  });

  it('keeps the floor in force now when a window ends within the lookahead', () => {
    expect(highestFloorAhead(p([window('08:00', '10:05', 2, 'morning')]), NO_HISTORY, NOW, 10)).toEqual({ floor: 2, source: 'schedule "morning" 08:00–10:05 UTC' });
  });

  it('keeps the source of the floor in force now when a later one is only as high', () => {
    const policyWithHold = policy({ scaleToZero: true, minInstances: 0, wakeHoldMinutes: 30, schedules: [window('10:05', '18:00', 1, 'soon')] });
    expect(highestFloorAhead(policyWithHold, { lastWakeAt: minutesBefore(NOW, 29) }, NOW, 10)).toEqual({ floor: 1, source: 'a wake request' });
  });

  it('is the floor now without schedules', () => {
    expect(highestFloorAhead(policy({ minInstances: 2 }), NO_HISTORY, NOW, 10)).toEqual({ floor: 2, source: 'minInstances 2' });
  });
});
