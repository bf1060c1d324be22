/**
 * The demo's three worked examples in Chromium: the fetch cache serving offline (the route to the data cut),
 * the chat over pub/sub, and the session surviving a reload and a browser restart on the same on-disk profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { launchOptions } from './chromium.js';
import { commands, expect, open, screenshot, test, watchContext, type DemoWindow, type ErrorLog } from './demo-fixtures.js';

test('the fetch cache serves offline within its fresh time, then stale while revalidation fails', async ({ page, errorLog }) => {
  await open(page, '/#fetch');
  const go = page.getByTestId('fetch-go');
  const source = page.getByTestId('fetch-source');
  const log = page.getByTestId('fetch-log-entry');
  await go.click();
  await expect(source).toHaveText('network');

  // The network is gone: within its fresh time the copy is served, and the network is not even asked.
  let attempts = 0;
  await page.route('**/data/**', (route) => {
    attempts++;
    return route.abort('internetdisconnected');
  });
  await go.click();
  await expect(log).toHaveCount(2);
  await expect(source).toHaveText('fresh');
  await expect(page.getByTestId('fetch-body')).toContainText('Simplicity is prerequisite for reliability.');
  expect(attempts).toBe(0);

  // Still offline after a reload: the copy is in IndexedDB.
  await page.evaluate(() => (window as unknown as DemoWindow).tabhiveDemo.db.flush());
  await page.reload();
  await expect(page.getByTestId('console')).toHaveAttribute('data-ready', 'true');
  await go.click();
  await expect(source).toHaveText('fresh');
  await expect(page.getByTestId('fetch-body')).toContainText('Edsger W. Dijkstra');
  expect(attempts).toBe(0);
  await screenshot(page, 'fetch-cache');

  // Past its fresh time (now 1 s): served stale at once; the revalidation fails and the stale copy stays.
  errorLog.allowed.push(/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/);
  await page.getByTestId('fetch-ttl').fill('1');
  await page.waitForTimeout(1100);
  await go.click();
  await expect(source).toHaveText('stale');
  await expect(page.getByTestId('fetch-log')).toContainText('failed');
  await expect(page.getByTestId('fetch-log')).toContainText('the stale copy stays');
  expect(attempts).toBe(1);

  // Back online: the next stale read revalidates behind, and the fresh copy is served after it.
  await page.unroute('**/data/**');
  await go.click();
  await expect(page.getByTestId('fetch-log')).toContainText('revalidated data/quote.json in the background');
  await go.click();
  await expect(source).toHaveText('fresh');

  // Nothing cached and no network: the error says so.
  await page.route('**/data/**', (route) => route.abort('internetdisconnected'));
  await page.getByTestId('fetch-url').fill('data/other.json');
  await go.click();
  await expect(page.getByTestId('fetch-error')).toContainText('nothing cached to fall back on');
});

test('the chat delivers between the chat windows of a tab, and says why not yet between tabs', async ({ page }) => {
  await open(page, '/#chat');
  await expect(page.getByTestId('chat-scope')).toContainText('Tabs do not share one engine yet');
  const windows = page.getByTestId('chat-window');
  await expect(windows).toHaveCount(2);
  await expect(windows.nth(1).getByTestId('chat-status')).toContainText('joined #lobby');

  const say = async (i: number, text: string) => {
    await windows.nth(i).getByTestId('chat-input').fill(text);
    await windows.nth(i).getByTestId('chat-input').press('Enter');
  };
  await say(0, 'Has anyone seen my keys?');
  await say(1, 'Try SCAN 0 MATCH *keys*');
  for (const i of [0, 1]) {
    await expect(windows.nth(i).getByTestId('chat-message')).toHaveText([
      /^Ada Has anyone seen my keys\?/,
      /^Grace Try SCAN 0 MATCH \*keys\*/,
    ]);
  }
  await expect(windows.nth(1).getByTestId('chat-status')).toHaveText("last message reached 2 participants (PUBLISH's reply)");

  // A window opened later reads the history list, then live messages.
  await page.getByTestId('chat-add').click();
  await expect(windows).toHaveCount(3);
  await expect(windows.nth(2).getByTestId('chat-message')).toHaveCount(2);
  await say(2, 'Found them, thanks!');
  for (const i of [0, 1, 2]) await expect(windows.nth(i).getByTestId('chat-message')).toHaveCount(3);
  expect(await commands(page, [['LLEN', 'chat:lobby:history'], ['PUBSUB', 'NUMSUB', 'chat:lobby']])).toEqual([3, ['chat:lobby', 3]]);
  await screenshot(page, 'chat');
});

test('the session survives a reload and a browser restart', async ({ baseURL }) => {
  const profile = await mkdtemp(join(tmpdir(), 'tabhive-demo-'));
  const log: ErrorLog = { errors: [], allowed: [] };
  const launch = async (): Promise<{ close(): Promise<void>; page: Page }> => {
    const context = await chromium.launchPersistentContext(profile, launchOptions);
    watchContext(context, log);
    const page = context.pages()[0] ?? (await context.newPage());
    await open(page, `${baseURL}/#session`);
    await expect(page.locator('#view-session')).toHaveAttribute('data-ready', 'true');
    return { page, close: () => context.close() };
  };
  const expectSession = async (page: Page, visits: string) => {
    await expect(page.getByTestId('session-visits')).toHaveText(visits);
    await expect(page.getByTestId('session-name')).toHaveValue('Ada');
    await expect(page.getByTestId('session-theme')).toHaveValue('forest');
    await expect(page.getByTestId('session-draft')).toHaveValue('Remember the milk');
    await expect(page.getByTestId('session-cart-item')).toHaveText([/^tea/, /^scones/]);
    await expect(page.getByTestId('session-ttl')).toHaveText(/^(29m|30m) /);
  };
  try {
    let { page, close } = await launch();
    await expect(page.getByTestId('session-visits')).toHaveText('1');
    await page.getByTestId('session-name').fill('Ada');
    await page.getByTestId('session-name').press('Tab');
    await page.getByTestId('session-theme').selectOption('forest');
    await page.getByTestId('session-draft').fill('Remember the milk');
    // The draft saves 300 ms after the last keystroke.
    await expect.poll(() => commands(page, [['HGET', 'session:demo', 'draft']])).toEqual(['Remember the milk']);
    for (const item of ['tea', 'scones']) {
      await page.getByTestId('session-item').fill(item);
      await page.getByTestId('session-item').press('Enter');
    }
    // An item shows once its write, and every write before it, is in IndexedDB (the example waits for flush()).
    await expect(page.getByTestId('session-cart-item')).toHaveCount(2);
    await expect(page.getByTestId('session-saved')).toHaveAttribute('data-state', 'saved');

    await page.reload();
    await expect(page.locator('#view-session')).toHaveAttribute('data-ready', 'true');
    await expectSession(page, '2');
    await expect(page.getByTestId('session-saved')).toHaveText('visit 2: restored from IndexedDB');
    await screenshot(page, 'session');
    await close();

    ({ page, close } = await launch());
    await expectSession(page, '3');
    await close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  expect(log.errors, 'console errors and uncaught exceptions').toEqual([]);
});
