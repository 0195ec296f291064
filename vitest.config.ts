import { defineConfig } from 'vitest/config';

/** Unit and integration tiers run here; Chromium e2e runs under Playwright (playwright.config.ts). */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
