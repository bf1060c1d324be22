/**
 * The browser every Playwright run uses: the system's Chromium (Debian's by default, TABHIVE_CHROMIUM to
 * override). Playwright's own browser downloads are never used. scripts/bench.mjs repeats these options.
 */
import type { LaunchOptions } from '@playwright/test';

export const chromiumPath = process.env.TABHIVE_CHROMIUM || '/usr/bin/chromium';

export const launchOptions: LaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
