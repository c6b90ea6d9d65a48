import { defineConfig } from 'vitest/config';

// Browser tests: a real server in-process and Debian's Chromium driven by playwright-core.
// Run with `npm run test:browser` (npx vitest run --config vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
