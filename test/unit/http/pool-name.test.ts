// Pool names in URLs: 1-63 letters, digits, "-" or "_", starting with a letter or digit; anything else is a 400
// before storage is read.
import { describe, expect, it } from 'vitest';
import { poolNameProblem } from '../../../src/http/pool-name.js';
import { NEW_POOL_NAME } from '../../../src/http/pools-problem.js';

describe('pool names', () => {
  it.each([
    ['a', true],
    ['9', true],
    ['gpu-a100_2', true],
    ['A'.repeat(63), true],
    ['a' + '_'.repeat(62), true],
    ['A'.repeat(64), false],
    ['', false],
    ['-gpu', false],
    ['_gpu', false],
    ['gpu/a', false],
    ['gpu%2Fa', false],
    ['gpu.a', false],
    ['gpu a', false],
    ['gpu\u0000', false],
    ['gpu\n', false],
    ['x\ngpu', false],
    ['gpü', false],
  ])('%j is accepted: %s', (name, ok) => {
    const r = poolNameProblem(name);
    expect(r === undefined).toBe(ok);
    expect(NEW_POOL_NAME.test(name)).toBe(ok);
    if (r) {
      expect(r.status).toBe(400);
      expect(JSON.parse(String(r.body))).toMatchObject({
        code: 'VALIDATION_FAILED',
        title: 'Invalid pool name',
        detail: 'pool must be 1-63 letters, digits, "-" or "_", starting with a letter or digit',
        errors: [{ field: 'pool', message: 'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit' }],
      });
    }
  });
});
