import { defineConfig } from 'vitest/config';

// Integration tests start their own Azurite, emulator and host on free ports, so files may run in parallel;
// the machine has two cores, so two workers.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
