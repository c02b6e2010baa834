// The CLI checks a job spec before sending it, and says what is wrong in the words the API would use.
import { describe, expect, it } from 'vitest';
import { buildSpec } from '../../../src/cli/job-file.js';

describe('buildSpec', () => {
  it("a refused variable name says why, not zod's bare \"Invalid key in record\"", () => {
    expect(() => buildSpec({ name: 'a', commandLine: 'x', env: { '1BAD': 'x' } }, {})).toThrow(
      'the job spec is not valid:\n  env.1BAD: must be a variable name: letters, digits and "_", not starting with a digit',
    );
    expect(() => buildSpec({ name: 'a', commandLine: 'x' }, { env: ['AZ_BATCH_X=1'] })).toThrow('  env.AZ_BATCH_X: must not start with AZ_BATCH (reserved by Batch)');
  });
});
