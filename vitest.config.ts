import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); database, API and CLI tests in test/.
// Browser tests have their own config (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
