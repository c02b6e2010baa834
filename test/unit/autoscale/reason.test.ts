// The one sentence a plan carries, as the admin reads it in the event log: who is on, what the floor is, what is
// kept and why, what is done. Plans are written out here, so each sentence is checked whole.
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../../src/autoscale/instance-view.js';
import type { InstanceObservation } from '../../../src/autoscale/observation.js';
import { idList, reasonFor } from '../../../src/autoscale/reason.js';
import type { PlanFigures, ScalePlan } from '../../../src/autoscale/scale-plan.js';
import { NOW, policy, vm } from './factories.js';

// The example pool (factories.ts): 2 spare seats, idle 20 min before scale-in, 10 deallocated VMs kept.
const POLICY = policy({ maxInstances: 10 });

function plan(o: Partial<Omit<ScalePlan, 'figures'>> & { figures?: Partial<PlanFigures> } = {}): ScalePlan {
  const { figures, ...rest } = o;
  return {
    pool: 'pool', direction: 'none', start: [], deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 0, warnings: [], reason: '',
    ...rest,
    figures: { sessions: 0, demand: 0, floor: 0, floorSource: 'minInstances 0', active: 0, idleForWindow: 0, unknown: 0, ...figures },
  };
}
const views = (...vms: InstanceObservation[]) => vms.map((v) => viewOf(v, NOW, 20));

describe('idList', () => {
  it.each([
    [[], ''],
    [['2'], '2'],
    [['2', '3'], '2 and 3'],
    [['2', '3', '4'], '2, 3 and 4'],
  ])('%j reads "%s"', (ids, text) => {
    expect(idList(ids)).toBe(text);
  });
});

describe('scaling out: who needs how many VMs', () => {
  const out = (figures: Partial<PlanFigures>) => reasonFor(plan({ direction: 'out', start: ['3'], targetActive: 1, figures }), POLICY, [], []);

  it.each([
    [{ sessions: 1, demand: 1 }, '1 session + 2 spare seats need 1 VM; 0 running or starting; starting 3'],
    [{ reserved: 1, demand: 1 }, '1 reserved seat + 2 spare seats need 1 VM; 0 running or starting; starting 3'],
    [{ reserved: 2, demand: 1 }, '2 reserved seats + 2 spare seats need 1 VM; 0 running or starting; starting 3'],
    [{ waiting: 1, demand: 1 }, '1 person waiting + 2 spare seats need 1 VM; 0 running or starting; starting 3'],
    [{ waiting: 3, demand: 2 }, '3 people waiting + 2 spare seats need 2 VMs; 0 running or starting; starting 3'],
    [{ unknownFull: 1, demand: 1 }, '1 VM with unknown sessions counted full + 2 spare seats need 1 VM; 0 running or starting; starting 3'],
    [{ sessions: 5, waiting: 1, demand: 2 }, '5 sessions + 1 person waiting + 2 spare seats need 2 VMs; 0 running or starting; starting 3'],
  ])('%j: "%s"', (figures, sentence) => {
    expect(out(figures)).toBe(sentence);
  });

  it('gives the people when their demand equals the floor, and the floor alone when the floor is higher', () => {
    expect(out({ sessions: 1, demand: 1, floor: 1, floorSource: 'minInstances 1' })).toBe('1 session + 2 spare seats need 1 VM; 0 running or starting; starting 3');
    expect(out({ sessions: 1, demand: 1, floor: 2, floorSource: 'schedule "office hours"' })).toBe('schedule "office hours" needs 2 VMs; 0 running or starting; starting 3');
    expect(out({ floor: 1, floorSource: 'a wake request' })).toBe('a wake request needs 1 VM; 0 running or starting; starting 3');
    // Nobody on: the spare seats alone make a demand of 1, equal to the floor; the floor still speaks ("needs").
    expect(out({ demand: 1, floor: 1, floorSource: 'a wake request' })).toBe('a wake request needs 1 VM; 0 running or starting; starting 3');
  });
});

describe('scaling in idle VMs', () => {
  it('counts only running VMs, gives the shortest idle time, and keeps what the people need', () => {
    const vs = views(vm(1, { latest: 1 }), vm(2, { idleMinutes: 30 }), vm(3, { idleMinutes: 25 }), vm(4, { state: 'deallocated' }));
    const idle = vs.filter((v) => v.idleForWindow);
    const p = plan({ direction: 'in', deallocate: ['2', '3'], targetActive: 1, figures: { sessions: 1, demand: 1, active: 3, idleForWindow: 2 } });
    expect(reasonFor(p, POLICY, idle, vs)).toBe('2 of 3 VMs idle 25 min ≥ 20; keeping 1 for 1 session + 2 spare seats; deallocating 2 and 3');
  });

  it('says why VMs beyond the need stay, with and without a need', () => {
    const vs = views(vm(1, { latest: 1 }), vm(2, { latest: 1 }), vm(3, { latest: 1 }), vm(4, { idleMinutes: 30 }));
    const idle = vs.filter((v) => v.idleForWindow);
    const withNeed = plan({ direction: 'in', deallocate: ['4'], targetActive: 3, figures: { sessions: 3, demand: 1, active: 4 } });
    expect(reasonFor(withNeed, POLICY, idle, vs)).toBe('1 of 4 VMs idle 30 min ≥ 20; keeping 3: 1 for 3 sessions + 2 spare seats, 2 in use or not idle for 20 min yet; deallocating 4');
    const noNeed = plan({ direction: 'in', deallocate: ['4'], targetActive: 2, figures: { active: 4 } });
    expect(reasonFor(noNeed, POLICY, idle, vs)).toBe('1 of 4 VMs idle 30 min ≥ 20; keeping 2 (2 in use or not idle for 20 min yet); deallocating 4');
  });

  it('keeping none: nobody is on, or says scaleToZero is off', () => {
    const vs = views(vm(1, { idleMinutes: 30 }));
    const p = plan({ direction: 'in', deallocate: ['1'], figures: { active: 1 } });
    expect(reasonFor(p, POLICY, vs, vs)).toBe('1 of 1 VM idle 30 min ≥ 20; keeping 0 for nobody is on; deallocating 1');
    expect(reasonFor(p, policy({ scaleToZero: false }), vs, vs)).toBe('1 of 1 VM idle 30 min ≥ 20; keeping 0 for scaleToZero=false; deallocating 1');
  });
});

describe('deallocating a stopped VM', () => {
  it('says it is still billed, once, and does not read it as idle scale-in', () => {
    const vs = views(vm(1, { latest: 1 }), vm(4, { state: 'stopped' }));
    const p = plan({ direction: 'in', deallocate: ['4'], targetActive: 1, figures: { sessions: 1, demand: 1, active: 1 } });
    expect(reasonFor(p, POLICY, [], vs)).toBe(
      '1 needed for 1 session + 2 spare seats; 1 running or starting; deallocating stopped 4 (stopped but still allocated for 15 min or more, so still billed)',
    );
  });
});

describe('parking a stopped VM beside idle ones', () => {
  const vs = views(vm(1, { latest: 1 }), vm(2, { idleMinutes: 30 }), vm(4, { state: 'stopped' }));
  const idle = vs.filter((v) => v.idleForWindow);
  const parked = '; deallocating stopped 4 (stopped but still allocated for 15 min or more, so still billed)';

  it('reads as an idle scale-in when an idle VM goes too', () => {
    const p = plan({ direction: 'in', deallocate: ['2', '4'], targetActive: 1, figures: { sessions: 1, demand: 1, active: 2, idleForWindow: 1 } });
    expect(reasonFor(p, POLICY, idle, vs)).toBe(`1 of 2 VMs idle 30 min ≥ 20; keeping 1 for 1 session + 2 spare seats${parked}; deallocating 2`);
  });

  it('does not read as an idle scale-in when only the stopped VM goes (the idle one held by the cooldown)', () => {
    const p = plan({ direction: 'in', deallocate: ['4'], targetActive: 2, figures: { sessions: 1, demand: 1, active: 2, idleForWindow: 1, heldBy: 'scale-in-cooldown' } });
    expect(reasonFor(p, POLICY, idle, vs)).toBe(`1 needed for 1 session + 2 spare seats; 2 running or starting; scale-in held by the 10-min cooldown${parked}`);
  });
});

describe('nothing to scale', () => {
  it('does not say none is idle when an idle VM stays for a floor ahead', () => {
    const vs = views(vm(1, { latest: 1 }), vm(2, { idleMinutes: 30 }));
    const p = plan({ targetActive: 2, figures: { floor: 1, floorSource: 'minInstances 1', active: 2, idleForWindow: 1 } });
    expect(reasonFor(p, POLICY, vs.slice(1), vs)).toBe('1 needed for minInstances 1; 2 running or starting; nothing to do');
  });

  it('says nobody is on and nothing keeps a VM warm', () => {
    expect(reasonFor(plan(), POLICY, [], [])).toBe('nobody is on and nothing keeps a VM warm; 0 running or starting; nothing to do');
  });

  it('says what the VMs are needed for, and that none is idle long enough only when there are more than needed', () => {
    const vs = views(vm(1, { latest: 1 }), vm(2, { idleMinutes: 5 }));
    const needOne = { sessions: 1, demand: 1 };
    expect(reasonFor(plan({ targetActive: 2, figures: { ...needOne, active: 2 } }), POLICY, [], vs)).toBe(
      '1 needed for 1 session + 2 spare seats; 2 running or starting; none idle for 20 min yet; nothing to do',
    );
    expect(reasonFor(plan({ targetActive: 1, figures: { ...needOne, active: 1 } }), POLICY, [], vs.slice(0, 1))).toBe(
      '1 needed for 1 session + 2 spare seats; 1 running or starting; nothing to do',
    );
  });

  it('does not read keeping idle VMs (nothing removed) as a scale-in', () => {
    const vs = views(vm(1, { idleMinutes: 30 }));
    expect(reasonFor(plan({ targetActive: 1, figures: { floor: 1, floorSource: 'minInstances 1', active: 1, idleForWindow: 1 } }), POLICY, vs, vs)).toBe(
      '1 needed for minInstances 1; 1 running or starting; nothing to do',
    );
  });
});
