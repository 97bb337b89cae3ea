import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

/**
 * The browser test of the packed plugins in an app made by @backstage/create-app, started by
 * scripts/fresh-app/run.sh (which sets PORTAL_URL and BACKEND_URL).
 */
export default defineConfig({
  ...base,
  testDir: '.',
  outputDir: '../../test-results/fresh-app/playwright',
});
