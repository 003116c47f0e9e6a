import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: keep workers few so e2e (Chromium) tests are not starved.
    maxWorkers: 2,
  },
});
