import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // One store of every bundled file per run, built by the first suite that needs it and copied for each.
    globalSetup: ['src/test-support/global-setup.ts'],
    // DuckDB work is CPU-bound and these machines have 2 cores.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
