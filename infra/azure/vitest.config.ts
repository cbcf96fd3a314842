// The Pulumi unit tests (mocked engine, no Azure): run by `npm test` as their own step,
// with the root's vitest, from this folder's own node_modules.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    reporters: process.env.CI ? ['default', ['junit', { outputFile: '../../reports/junit-infra-azure.xml' }]] : ['default'],
  },
});
