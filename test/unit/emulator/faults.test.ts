import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/local/emulator/faults.js';

describe('fault injector', () => {
  it('fires a counted rule on the next N matching calls only', () => {
    const f = new FaultInjector();
    f.add({ operation: 'compute.vmss.*', kind: 'status', status: 429, count: 2 });
    expect(['compute.vmss.get', 'compute.vmssvm.list', 'compute.vmss.update', 'compute.vmss.get'].map((op) => f.plan(op).terminal?.status)).toEqual([429, undefined, 429, undefined]);
    expect(f.list()).toEqual([]);
  });

  it('adds up latency and lets the first terminal rule win', () => {
    const f = new FaultInjector();
    f.add({ operation: '*', kind: 'latency', latencyInMs: 10 });
    f.add({ operation: 'batch.*', kind: 'latency', latencyInMs: 5 });
    f.add({ operation: 'batch.task.add', kind: 'drop', count: 1 });
    f.add({ operation: 'batch.task.add', kind: 'status', status: 503, count: 1 });
    const plan = f.plan('batch.task.add');
    expect([plan.latencyInMs, plan.terminal?.kind]).toEqual([15, 'drop']);
    expect(f.plan('batch.task.add').terminal?.status).toBe(503);
  });

  it('applies a rate reproducibly for a seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector(seed);
      f.add({ operation: '*', kind: 'status', status: 500, rate: 0.3 });
      return Array.from({ length: 200 }, () => (f.plan('x').terminal ? 1 : 0)).join('');
    };
    const hits = [...run(1)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(40);
    expect(hits).toBeLessThan(80);
    expect(run(1)).toBe(run(1));
    expect(run(2)).not.toBe(run(1));
  });

  it.each([
    [{ operation: '', kind: 'status', status: 429 }, /operation glob/],
    [{ operation: '*', kind: 'explode' }, /kind must be one of/],
    [{ operation: '*', kind: 'status', status: 404 }, /429, 409, 500 or 503/],
    [{ operation: '*', kind: 'latency' }, /latencyInMs/],
    [{ operation: '*', kind: 'drop', count: 0 }, /positive integer/],
    [{ operation: '*', kind: 'drop', rate: 2 }, /between 0 and 1/],
  ])('rejects an invalid rule %j', (rule, message) => {
    expect(() => new FaultInjector().add(rule as never)).toThrow(message);
  });
});
