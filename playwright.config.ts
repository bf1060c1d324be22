/**
 * End-to-end tests of the demo console in Chromium. The dev server (vite, root demo/) runs on a fixed loopback
 * port, TABHIVE_E2E_PORT (default 5317); outside CI an already running server on that port is reused.
 */
import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/chromium.js';

const port = Number(process.env.TABHIVE_E2E_PORT || 5317);
const baseURL = `http://127.0.0.1:${port}`;
const ci = !!process.env.CI;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Two cores: one worker keeps timings honest and the dev server responsive.
  workers: 1,
  fullyParallel: false,
  forbidOnly: ci,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.tmp/e2e-results.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium', launchOptions } }],
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    env: { TABHIVE_STATIC: '1' },
    url: `${baseURL}/`,
    reuseExistingServer: !ci,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
