import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/helpers/plain-summary-reporter.ts'],
    env: { LOG_LEVEL: 'warn' },
  },
});
