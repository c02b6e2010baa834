import { defineConfig } from 'vitest/config';

// Integration tests start their own Azurite, emulator and host on free ports, so files may run in parallel;
// the machine has two cores, so two workers.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/support/global-setup.ts'],
    // The local Functions host loads apps (dist/, test fixtures) with Node's own loader, as Azure's worker does.
    server: { deps: { external: [/\/dist\//, /\/test\/fixtures\//] } },
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Structured logs of passing tests are noise in CI; a failing test still shows its own.
    silent: 'passed-only',
  },
});
