// The Batch emulator's model in simulated time, driven in-process: exact event times however far the clock jumps.
import { describe, expect, it } from 'vitest';
import { BatchModel } from '../../../src/local/emulator/batch/batch-model.js';

const t0 = Date.parse('2026-01-05T08:00:00Z');
const min = 60_000;

function modelWithPool(nodes: number, slots: number): BatchModel {
  const model = new BatchModel(t0);
  model.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, taskSlotsPerNode: slots, targetDedicatedNodes: nodes });
  model.addJob({ id: 'j', poolInfo: { poolId: 'cpu' } }, t0);
  return model;
}

const env = (seconds: number, exit = '0') => [
  { name: 'EMULATOR_TASK_SECONDS', value: String(seconds) },
  { name: 'EMULATOR_EXIT_CODE', value: exit },
];

describe('BatchModel in simulated time', () => {
  it('runs an hour of a busy pool in one jump, with every start and end at its exact time', () => {
    const model = modelWithPool(4, 2);
    for (let i = 0; i < 200; i++) model.addTask('j', { id: `t${String(i).padStart(3, '0')}`, commandLine: 'x', environmentSettings: env(300) }, t0);
    model.sync(t0 + 60 * min);
    const done = [...model.tasks.values()].filter((t) => t.state === 'completed');
    // 8 slots, 5-minute tasks: 12 waves of 8 in an hour.
    expect(done).toHaveLength(96);
    const wave = (i: number) => model.task('j', `t${String(i).padStart(3, '0')}`)!.execution;
    expect(wave(8).startTime).toBe(t0 + 5 * min);
    expect(wave(95).endTime).toBe(t0 + 60 * min);
    expect(wave(96).startTime).toBe(t0 + 60 * min);
  });

  it('places higher-priority jobs first, then by arrival', () => {
    const model = modelWithPool(1, 1);
    model.addJob({ id: 'urgent', poolInfo: { poolId: 'cpu' }, priority: 100 }, t0);
    model.addTask('j', { id: 'first', commandLine: 'x', environmentSettings: env(60) }, t0);
    model.addTask('j', { id: 'second', commandLine: 'x', environmentSettings: env(60) }, t0);
    model.addTask('urgent', { id: 'late-but-urgent', commandLine: 'x', environmentSettings: env(60) }, t0);
    model.sync(t0 + min);
    expect(model.task('urgent', 'late-but-urgent')!.state).toBe('running');
    expect(model.task('j', 'second')!.state).toBe('active');
  });

  it('treats ids case-insensitively, as Batch does', () => {
    const model = modelWithPool(1, 1);
    expect(model.addTask('j', { id: 'Train', commandLine: 'x' }, t0)).toBe('created');
    expect(model.addTask('J', { id: 'tRAIN', commandLine: 'x' }, t0)).toBe('exists');
  });

  it('reset keeps the pools as created and forgets jobs, tasks and counts', () => {
    const model = modelWithPool(2, 1);
    model.addTask('j', { id: 'a', commandLine: 'x', environmentSettings: env(600) }, t0);
    model.resizePool(model.pool('cpu')!, 0, 'requeue', t0 + min);
    expect(model.counts.killedTasks).toBe(1);
    model.reset(t0 + 2 * min);
    expect(model.counts.killedTasks).toBe(0);
    expect(model.jobs.size + model.tasks.size).toBe(0);
    expect(model.pool('cpu')!.nodes).toHaveLength(2);
  });
});
