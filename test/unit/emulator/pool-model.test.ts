import { describe, expect, it } from 'vitest';
import { PoolModel } from '../../../src/local/emulator/compute/pool-model.js';

const t0 = Date.parse('2026-01-05T08:00:00Z');
const sec = (s: number) => t0 + s * 1000;
const states = (m: PoolModel) => m.instances().map((i) => `${i.instanceId}:${i.state}`);

describe('PoolModel lifecycle', () => {
  it('boots new instances: creating until bootSeconds have passed, then running', () => {
    const m = new PoolModel({ capacity: 2, timings: { bootSeconds: 180 } }, t0);
    expect(states(m)).toEqual(['0:creating', '1:creating']);
    m.advance(sec(179));
    expect(states(m)).toEqual(['0:creating', '1:creating']);
    m.advance(sec(180));
    expect(states(m)).toEqual(['0:running', '1:running']);
    expect(m.get('0')!.stateSinceMs).toBe(sec(180));
  });

  it('deallocates and starts again in startSeconds; deallocated instances still count toward capacity', () => {
    const m = new PoolModel({ capacity: 3, startRunning: true, timings: { deallocateSeconds: 30, startSeconds: 60 } }, t0);
    expect(m.deallocate(['1'], t0)).toEqual(['1']);
    expect(m.get('1')!.state).toBe('deallocating');
    m.advance(sec(30));
    expect(m.get('1')!.state).toBe('deallocated');
    expect(m.capacity).toBe(3);
    m.start(['1'], sec(40));
    m.advance(sec(99));
    expect(m.get('1')!.state).toBe('starting');
    m.advance(sec(100));
    expect(m.get('1')!.state).toBe('running');
  });

  it('deletes named instances: deleting, then gone; capacity drops at once', () => {
    const m = new PoolModel({ capacity: 3, startRunning: true, timings: { deleteSeconds: 30 } }, t0);
    m.deleteInstances(['0', '2'], t0);
    expect(m.capacity).toBe(1);
    expect(states(m)).toEqual(['0:deleting', '1:running', '2:deleting']);
    m.advance(sec(30));
    expect(states(m)).toEqual(['1:running']);
  });

  it('keeps default timings for options given as undefined', () => {
    const m = new PoolModel({ capacity: 1, timings: { bootSeconds: undefined } }, t0);
    m.advance(sec(179));
    expect(m.get('0')!.state).toBe('creating');
  });

  it('rejects an unknown instance id', () => {
    const m = new PoolModel({ capacity: 1 }, t0);
    expect(() => m.deleteInstances(['7'], t0)).toThrow(/not an active/);
  });

  it('scale-out adds new instance ids and never starts deallocated ones', () => {
    const m = new PoolModel({ capacity: 2, startRunning: true, timings: { deallocateSeconds: 1 } }, t0);
    m.deallocate(['0'], t0);
    m.advance(sec(1));
    const change = m.setCapacity(3, sec(2));
    expect(change.created).toEqual(['2']);
    expect(m.get('0')!.state).toBe('deallocated');
  });
});

describe('PoolModel scale-in by capacity', () => {
  it('Default policy removes the highest instance ids, even when they have sessions', () => {
    const m = new PoolModel({ capacity: 4, startRunning: true }, t0);
    m.setSessions('3', { jupyter: 2 });
    const change = m.setCapacity(2, t0);
    expect(change.removed).toEqual(['3', '2']);
    expect(m.killedSessions()).toBe(2);
  });

  it('skips instances protected from scale-in', () => {
    const m = new PoolModel({ capacity: 4, startRunning: true }, t0);
    m.setProtection('3', { protectFromScaleIn: true });
    expect(m.setCapacity(2, t0).removed).toEqual(['2', '1']);
  });

  it.each([
    ['NewestVM', ['3']],
    ['OldestVM', ['0']],
  ] as const)('%s policy picks by creation time', (rule, removed) => {
    const m = new PoolModel({ capacity: 2, startRunning: true, scaleInRule: rule }, t0);
    m.setCapacity(4, sec(10));
    expect(m.setCapacity(3, sec(20)).removed).toEqual(removed);
  });

  it('a direct delete ignores protection; whole-set deallocate spares protectFromScaleSetActions', () => {
    const m = new PoolModel({ capacity: 2, startRunning: true }, t0);
    m.setProtection('0', { protectFromScaleIn: true, protectFromScaleSetActions: true });
    expect(m.deallocate(undefined, t0)).toEqual(['1']);
    expect(m.deleteInstances(['0'], t0)).toEqual(['0']);
  });
});

describe('PoolModel sessions', () => {
  it('counts sessions on a removed VM as killed, and none for an idle VM', () => {
    const m = new PoolModel({ capacity: 3, startRunning: true }, t0);
    m.setSessions('0', { jupyter: 2, ssh: 1 });
    m.deleteInstances(['1'], t0);
    expect(m.killedSessions()).toBe(0);
    m.deallocate(['0'], t0);
    expect(m.killedSessions()).toBe(3);
    expect(m.killLog().map((k) => [k.instanceId, k.kind, k.count, k.reason])).toEqual([
      ['0', 'jupyter', 2, 'deallocated'],
      ['0', 'ssh', 1, 'deallocated'],
    ]);
  });

  it('refuses sessions on a VM that is not running', () => {
    const m = new PoolModel({ capacity: 1 }, t0);
    expect(() => m.setSessions('0', { ssh: 1 })).toThrow(/creating/);
  });

  it('places users only on running VMs, spread rather than packed, reproducibly for a seed', () => {
    const place = (seed: number) => {
      const m = new PoolModel({ capacity: 5, startRunning: true, seed }, t0);
      m.setCapacity(6, t0); // instance 5 is still booting
      expect(m.setUsers(40, 'jupyter').unplaced).toBe(0);
      return m.instances().map((i) => i.sessions.jupyter);
    };
    const counts = place(7);
    expect(counts[5]).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(counts.slice(0, 5).every((c) => c > 0 && c < 20)).toBe(true);
    expect(place(7)).toEqual(counts);
    expect(place(8)).not.toEqual(counts);
  });

  it('setUsers lowers the count by ending sessions, and reports users it cannot place', () => {
    const m = new PoolModel({ capacity: 2, startRunning: true }, t0);
    m.setUsers(10, 'ssh');
    m.setUsers(4, 'ssh');
    expect(m.users('ssh')).toBe(4);
    const empty = new PoolModel({ capacity: 1 }, t0);
    expect(empty.setUsers(3).unplaced).toBe(3);
  });

  it('derives Percentage CPU from sessions; a deallocated VM has none', () => {
    const m = new PoolModel({ capacity: 2, startRunning: true, timings: { deallocateSeconds: 1 } }, t0);
    m.setSessions('0', { jupyter: 2 });
    expect(m.cpuPercent('0')!).toBeGreaterThan(m.cpuPercent('1')!);
    m.deallocate(['1'], t0);
    m.advance(sec(1));
    expect(m.cpuPercent('1')).toBeUndefined();
  });
});
