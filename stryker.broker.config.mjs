// Mutation testing of src/broker alone (`npx stryker run stryker.broker.config.mjs --incremental`): the project's
// config, with the TypeScript checker limited to src/broker and what it imports. Checking a mutant against the whole
// project (src and test) was the bottleneck on two shared cores (over 15 CPU minutes for 300 mutants, against 4 for
// the test runs); a mutant of src/broker that still compiles there but breaks a caller elsewhere runs its tests instead.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['src/broker/**/*.ts', '!src/**/*.port.ts'],
  tsconfigFile: 'tsconfig.mutate-broker.json',
  concurrency: 1,
};
