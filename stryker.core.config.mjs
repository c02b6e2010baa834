// Mutation testing of src/autoscale and src/jobs (`npx stryker run stryker.core.config.mjs --incremental`): the
// project's config with the TypeScript checker limited to those folders and what they import, as for src/broker
// (stryker.broker.config.mjs). `--mutate 'src/jobs/**/*.ts'` takes one of the two.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['src/autoscale/**/*.ts', 'src/jobs/**/*.ts', '!src/**/*.port.ts'],
  tsconfigFile: 'tsconfig.mutate-core.json',
  incrementalFile: 'reports/stryker-incremental-core.json',
};
