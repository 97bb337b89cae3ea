import { defineConfig } from '@playwright/test';
// Shared with the frontend's bench scripts.
import chromium from './test/chromium.json';

/**
 * Browser tests against the running sandbox portal (started by scripts/e2e.sh), in
 * Debian's Chromium. Screenshots land in test-results/screenshots.
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  projects: [
    { name: 'portal', testIgnore: /story-.*\.spec\.ts/ },
    // A story runs a migration for real and changes the shared sandbox (blog's CLB becomes pod
    // EIPs), which the other specs read as seeded: stories run after them, whatever the files
    // are called. A story's own assertions hold in either order, so it may run alone.
    {
      name: 'stories',
      testMatch: /story-.*\.spec\.ts/,
      dependencies: ['portal'],
    },
  ],
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? chromium.executablePath,
      args: chromium.args,
    },
  },
});
