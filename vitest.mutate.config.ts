import { defineConfig } from 'vitest/config';

// Vitest for mutation testing (`npm run mutate`): the unit tests of the pure core only. Integration tests load the
// compiled app from dist/, which Stryker does not mutate, so they could not kill a mutant; and no build step runs.
export default defineConfig({
  test: {
    include: ['test/unit/autoscale/**/*.test.ts', 'test/unit/jobs/**/*.test.ts', 'test/unit/http/**/*.test.ts', 'test/unit/broker/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    silent: true,
    // Each mutant re-runs the property tests: 200 generated cases per property still kill what 3,000 do in CI
    // (checked on the deliberate bugs in decide.property.test.ts) at a fifteenth of the time.
    env: { DECIDE_PROPERTY_RUNS: '200' },
  },
});
