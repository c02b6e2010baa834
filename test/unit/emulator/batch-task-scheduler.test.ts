// The Batch emulator's scheduling rules: node choice by free slots, attempt ends, retries, resize victims.
import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../../src/local/emulator/batch/batch-records.js';
import { parseIsoDurationMs } from '../../../src/local/emulator/batch/iso-duration.js';
import { attemptOutcome, exitCodeFor, nodesToRemove, pickNode, planAttempt } from '../../../src/local/emulator/batch/task-scheduler.js';

const node = (id: string, o: Partial<NodeRecord> = {}): NodeRecord => ({ id, readyAt: 0, usedSlots: 0, taskKeys: new Set(), leaving: false, ...o });

describe('pickNode', () => {
  it('spreads: the least used started node with enough free slots', () => {
    const nodes = [node('a', { usedSlots: 2 }), node('b', { usedSlots: 1 }), node('c', { usedSlots: 3 })];
    expect(pickNode(nodes, 1, 4, 100)?.id).toBe('b');
    expect(pickNode(nodes, 3, 4, 100)?.id).toBe('b');
    expect(pickNode(nodes, 4, 4, 100)).toBeUndefined();
  });

  it('never places a task on a starting or leaving node', () => {
    expect(pickNode([node('s', { readyAt: 200 }), node('l', { leaving: true })], 1, 1, 100)).toBeUndefined();
    expect(pickNode([node('s', { readyAt: 100 })], 1, 1, 100)?.id).toBe('s');
  });

  it('never places a task needing more slots than a node has', () => {
    expect(pickNode([node('a')], 2, 1, 0)).toBeUndefined();
  });
});

describe('planAttempt', () => {
  it('ends after the task duration when within maxWallClockTime', () => {
    expect(planAttempt(1000, 60_000, 120_000)).toEqual({ endAt: 61_000, timedOut: false });
    expect(planAttempt(1000, 60_000, undefined)).toEqual({ endAt: 61_000, timedOut: false });
  });
  it('cuts a longer task at maxWallClockTime as a timeout', () => {
    expect(planAttempt(1000, 600_000, 120_000)).toEqual({ endAt: 121_000, timedOut: true });
  });
});

describe('attemptOutcome', () => {
  it.each([
    [0, 0, 0, 'success'],
    [1, 0, 0, 'failure'],
    [1, 0, 2, 'retry'],
    [1, 1, 2, 'retry'],
    [1, 2, 2, 'failure'],
    [7, 50, -1, 'retry'],
    [0, 2, 2, 'success'],
  ] as const)('exit %i after %i retries with maxTaskRetryCount %i → %s', (exit, retries, max, outcome) => {
    expect(attemptOutcome(exit, retries, max)).toBe(outcome);
  });

  it('takes per-attempt exit codes in order and repeats the last', () => {
    expect([0, 1, 2, 3].map((a) => exitCodeFor([1, 1, 0], a))).toEqual([1, 1, 0, 0]);
  });
});

describe('nodesToRemove', () => {
  it('removes starting nodes first, then idle ones, then the least busy', () => {
    const nodes = [node('busy2', { usedSlots: 2 }), node('idle'), node('busy1', { usedSlots: 1 }), node('starting', { readyAt: 500 })];
    expect(nodesToRemove(nodes, 3, 100).map((n) => n.id)).toEqual(['starting', 'idle', 'busy1']);
  });
  it('skips nodes already leaving', () => {
    expect(nodesToRemove([node('l', { leaving: true }), node('a')], 2, 0).map((n) => n.id)).toEqual(['a']);
  });
});

describe('parseIsoDurationMs', () => {
  it.each([
    ['PT10M', 600_000],
    ['PT2H', 7_200_000],
    ['P1DT30M', 88_200_000],
    ['PT0.5S', 500],
    ['P1W', 604_800_000],
  ])('%s', (text, ms) => expect(parseIsoDurationMs(text)).toBe(ms));
  it.each(['10M', 'PT', 'P', 'PTXM'])('rejects %s', (text) => expect(parseIsoDurationMs(text)).toBeUndefined());
});
