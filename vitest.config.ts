import { defineConfig } from 'vitest/config';

// One run over every workspace. Integration tests use the real PostgreSQL, Redis and
// Kafka; globalSetup starts the local broker unless KAFKA_BROKERS points elsewhere.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'libs/*/src/**/*.test.ts', 'libs/*/test/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'apps/*/server/**/*.test.ts', 'apps/*/web/src/**/*.test.ts'],
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: Number(process.env.VITEST_MAX_FORKS ?? 3) } },
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
