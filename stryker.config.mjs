// Mutation testing of the pure core (`npm run mutate`; not in CI: it takes a long time on two cores).
// `npm run mutate -- --incremental` re-tests only mutants whose code or tests changed since the last run
// (reports/stryker-incremental.json). Report: reports/mutation/mutation.html.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/autoscale/**/*.ts',
    'src/jobs/**/*.ts',
    'src/broker/**/*.ts',
    'src/http/**/*.ts',
    // Ports are interfaces only; OpenAPI documents are data, checked by the OpenAPI tests.
    '!src/**/*.port.ts',
    '!src/http/openapi*.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['dist', '.local', '.azurite', 'reports', 'out', 'coverage'],
};
