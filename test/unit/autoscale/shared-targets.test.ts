// One scale set (or Batch pool), one policy: which pools are skipped when hand-written rows share a scale set, and
// which PUTs are refused with POLICY_CONFLICT.
import { describe, expect, it } from 'vitest';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import { assertBatchPoolFree, assertSameKind, assertTargetFree, poolsSharingTarget, sharedTargetReason } from '../../../src/autoscale/shared-targets.js';
import { policy, TARGET } from './factories.js';

const OTHER = TARGET.replace(/pool$/, 'other');
// The target is set after parsing, so a test can give it in another case or with spaces.
const on = (pool: string, target = TARGET) => ({ pool, policy: { ...policy(), target } });
const off = (pool: string, target = TARGET) => ({ pool, policy: { ...policy({ enabled: false }), target } });

function thrown(f: () => void): AutoscaleError {
  try {
    f();
  } catch (e) {
    if (e instanceof AutoscaleError) return e;
    throw e;
  }
  throw new Error('expected an AutoscaleError, nothing was thrown');
}

describe('poolsSharingTarget', () => {
  it('keeps the first pool by name on a shared scale set and maps every other one to it', () => {
    const skipped = poolsSharingTarget([on('charlie'), on('alpha'), on('bravo'), on('solo', OTHER)]);
    expect([...skipped]).toEqual([
      ['bravo', 'alpha'],
      ['charlie', 'alpha'],
    ]);
  });

  it('compares scale set ids case-insensitively and without surrounding spaces (ARM ids)', () => {
    const skipped = poolsSharingTarget([on('b', ` ${TARGET.toUpperCase()} `), on('a', TARGET)]);
    expect([...skipped]).toEqual([['b', 'a']]);
  });

  it('leaves a switched-off pool out: it neither is skipped nor keeps the scale set', () => {
    expect([...poolsSharingTarget([off('a'), on('b')])]).toEqual([]);
    expect([...poolsSharingTarget([off('a'), on('b'), on('c')])]).toEqual([['c', 'b']]);
  });

  it('returns nothing for pools each on its own scale set', () => {
    expect(poolsSharingTarget([on('a'), on('b', OTHER)]).size).toBe(0);
  });
});

describe('sharedTargetReason', () => {
  it('names the pool that keeps the scale set and how to resolve it', () => {
    expect(sharedTargetReason('alpha')).toBe(
      'is the same scale set as pool "alpha"; two policies on one scale set would fight, so only "alpha" is managed until one of them changes its target or sets enabled false',
    );
  });
});

describe('assertTargetFree', () => {
  it('refuses an enabled policy on a scale set another enabled pool manages, naming that pool', () => {
    const e = thrown(() => assertTargetFree('new', policy(), [on('old', ` ${TARGET.toUpperCase()}`)]));
    expect(e.code).toBe('POLICY_CONFLICT');
    expect(e.message).toBe(
      `Pool "old" already manages scale set ${TARGET}; one scale set takes one policy. Change that pool's policy (or set its enabled false) first, or set enabled false here.`,
    );
    expect(e.problems).toEqual([{ field: 'target', reason: 'is already managed by pool "old"' }]);
  });

  it('allows a switched-off policy anywhere, and a scale set whose other pool is switched off', () => {
    expect(() => assertTargetFree('new', policy({ enabled: false }), [on('old')])).not.toThrow();
    expect(() => assertTargetFree('new', policy(), [off('old')])).not.toThrow();
  });

  it('allows the pool to rewrite its own policy, and a different scale set', () => {
    expect(() => assertTargetFree('old', policy(), [on('old')])).not.toThrow();
    expect(() => assertTargetFree('new', policy(), [on('old', OTHER)])).not.toThrow();
  });
});

describe('assertSameKind', () => {
  it('allows a first policy and one of the same kind (a row without kind is vmss; kind in any case)', () => {
    expect(() => assertSameKind('p', 'vmss', [])).not.toThrow();
    expect(() => assertSameKind('p', 'vmss', [{ pool: 'p', fields: { target: TARGET } }])).not.toThrow();
    expect(() => assertSameKind('p', 'batch', [{ pool: 'p', fields: { kind: ' Batch ' } }])).not.toThrow();
  });

  it('looks only at the row of the same pool', () => {
    expect(() => assertSameKind('p', 'vmss', [{ pool: 'q', fields: { kind: 'batch' } }])).not.toThrow();
  });

  it('refuses turning a vmss pool into batch: its scale set would be left running unmanaged', () => {
    const e = thrown(() => assertSameKind('p', 'batch', [{ pool: 'p', fields: { target: TARGET } }]));
    expect(e.code).toBe('POLICY_CONFLICT');
    expect(e.message).toBe(
      'Pool "p" already has a vmss policy; a policy cannot change a pool\'s kind (its scale set would be left running unmanaged). Choose another pool name for the batch policy, and set enabled false on "p" if it should stop.',
    );
    expect(e.problems).toEqual([{ field: 'kind', reason: 'must stay "vmss" for pool "p"' }]);
  });

  it('refuses turning a batch pool into vmss: the Batch pool would be taken from its jobs', () => {
    const e = thrown(() => assertSameKind('p', 'vmss', [{ pool: 'p', fields: { kind: 'batch', poolId: 'gpu' } }]));
    expect(e.message).toBe(
      'Pool "p" already has a batch policy; a policy cannot change a pool\'s kind (its Batch pool would be taken from the jobs routed to it). Choose another pool name for the vmss policy, and set enabled false on "p" if it should stop.',
    );
    expect(e.problems).toEqual([{ field: 'kind', reason: 'must stay "batch" for pool "p"' }]);
  });
});

describe('assertBatchPoolFree', () => {
  const batchRow = (pool: string, fields: Record<string, unknown> = {}) => ({ pool, fields: { kind: 'batch', poolId: 'gpu-a100', ...fields } });

  it('refuses an enabled policy on a Batch pool another enabled pool sizes (ids compare case-insensitively)', () => {
    const e = thrown(() => assertBatchPoolFree('new', { poolId: ' GPU-A100 ' }, [batchRow('old', { poolId: 'gpu-a100 ' })]));
    expect(e.code).toBe('POLICY_CONFLICT');
    expect(e.message).toBe(
      "Pool \"old\" already sizes Batch pool  GPU-A100 ; one Batch pool takes one policy. Change that pool's policy (or set its enabled false) first, or set enabled false here.",
    );
    expect(e.problems).toEqual([{ field: 'poolId', reason: 'is already sized by pool "old"' }]);
  });

  it('reads the stored row as the policy union does: kind in any case, poolId as a typed cell, enabled as text', () => {
    const rows = [{ pool: 'old', fields: { kind: 'BATCH', poolId: { value: 'gpu-a100', type: 'String' }, enabled: 'True' } }];
    expect(() => assertBatchPoolFree('new', { poolId: 'gpu-a100', enabled: true }, rows)).toThrow(AutoscaleError);
  });

  it('counts a stored row whose enabled cell is no boolean as enabled', () => {
    expect(() => assertBatchPoolFree('new', { poolId: 'gpu-a100' }, [batchRow('old', { enabled: 'maybe' })])).toThrow(AutoscaleError);
  });

  it.each([
    ['the new policy is switched off', 'new', { poolId: 'gpu-a100', enabled: false }, [batchRow('old')]],
    ['the other policy is switched off', 'new', { poolId: 'gpu-a100' }, [batchRow('old', { enabled: false })]],
    ['the other policy is switched off as text', 'new', { poolId: 'gpu-a100' }, [batchRow('old', { enabled: ' FALSE ' })]],
    ['the row is the pool itself', 'old', { poolId: 'gpu-a100' }, [batchRow('old')]],
    ['the other row is a vmss pool', 'new', { poolId: 'gpu-a100' }, [{ pool: 'old', fields: { kind: 'vmss', poolId: 'gpu-a100' } }]],
    ['the other row has no kind (vmss)', 'new', { poolId: 'gpu-a100' }, [{ pool: 'old', fields: { poolId: 'gpu-a100' } }]],
    ['the other row sizes another Batch pool', 'new', { poolId: 'gpu-a100' }, [batchRow('old', { poolId: 'gpu-h100' })]],
    ['the other row has no poolId', 'new', { poolId: 'gpu-a100' }, [{ pool: 'old', fields: { kind: 'batch' } }]],
  ])('allows it when %s', (_, pool, p, rows) => {
    expect(() => assertBatchPoolFree(pool, p, rows)).not.toThrow();
  });
});
