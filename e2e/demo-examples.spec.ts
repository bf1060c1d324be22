/**
 * The demo's three worked examples in Chromium: the fetch cache serving offline (the route to the data cut),
 * the chat over pub/sub between two tabs, and the session surviving a reload and a browser restart on the same
 * on-disk profile.
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

test('the chat delivers between two tabs: each window sees every message, PUBSUB NUMSUB counts both tabs', async ({ page, context }) => {
  // Tab A, then tab B: two pages of one browser context share the database as two tabs of the app do.
  await open(page, '/#chat');
  await expect(page.getByTestId('chat-scope')).toContainText('Messages reach every tab of this app');
  const inA = page.getByTestId('chat-window');
  await expect(inA).toHaveCount(2);
  await expect(inA.nth(1).getByTestId('chat-status')).toContainText('joined #lobby');
  const other = await context.newPage();
  await open(other, '/#chat');
  const inB = other.getByTestId('chat-window');
  await expect(inB).toHaveCount(2);
  await expect(inB.nth(1).getByTestId('chat-status')).toContainText('joined #lobby');
  // Windows are named after how many are in the room already, across tabs.
  await expect(inA.nth(0)).toHaveAttribute('data-name', 'Ada');
  await expect(inA.nth(1)).toHaveAttribute('data-name', 'Grace');
  await expect(inB.nth(0)).toHaveAttribute('data-name', 'Linus');
  await expect(inB.nth(1)).toHaveAttribute('data-name', 'Barbara');
  // Subscribers of both tabs, whichever tab asks.
  expect(await commands(page, [['PUBSUB', 'NUMSUB', 'chat:lobby']])).toEqual([['chat:lobby', 4]]);
  expect(await commands(other, [['PUBSUB', 'NUMSUB', 'chat:lobby']])).toEqual([['chat:lobby', 4]]);

  const say = async (windows: typeof inA, i: number, text: string) => {
    await windows.nth(i).getByTestId('chat-input').fill(text);
    await windows.nth(i).getByTestId('chat-input').press('Enter');
  };
  const all = [inA.nth(0), inA.nth(1), inB.nth(0), inB.nth(1)];
  // A to B, then B to A: each message reaches all four windows, the sender's own included.
  await say(inA, 0, 'Has anyone seen my keys?');
  for (const w of all) await expect(w.getByTestId('chat-message')).toHaveText([/^Ada Has anyone seen my keys\?/]);
  await say(inB, 0, 'Try SCAN 0 MATCH *keys*');
  for (const w of all) {
    await expect(w.getByTestId('chat-message')).toHaveText([/^Ada Has anyone seen my keys\?/, /^Linus Try SCAN 0 MATCH \*keys\*/]);
  }
  await expect(inB.nth(0).getByTestId('chat-status')).toHaveText("last message reached 4 participants (PUBLISH's reply)");
  // Each tab marks the message that came from the other.
  for (const [w, other] of [[inA.nth(1), 1], [inB.nth(1), 0]] as const) {
    await expect(w.getByTestId('chat-message').nth(other).getByTestId('chat-other-tab')).toHaveText(' · from another tab');
    await expect(w.getByTestId('chat-message').nth(1 - other).getByTestId('chat-other-tab')).toHaveCount(0);
  }
  await expect(inA.nth(0).getByTestId('chat-status')).toHaveText("last message reached 4 participants (PUBLISH's reply)");

  // A window opened later in tab A reads the history list (written from both tabs), then live messages of tab B.
  await page.getByTestId('chat-add').click();
  await expect(inA).toHaveCount(3);
  await expect(inA.nth(2)).toHaveAttribute('data-name', 'Ken');
  await expect(inA.nth(2).getByTestId('chat-message')).toHaveCount(2);
  await say(inB, 1, 'Found them, thanks!');
  for (const w of [...all, inA.nth(2)]) await expect(w.getByTestId('chat-message')).toHaveCount(3);
  await expect(inA.nth(2).getByTestId('chat-message').last()).toHaveText(/^Barbara Found them, thanks!/);
  expect(await commands(other, [['LLEN', 'chat:lobby:history'], ['PUBSUB', 'NUMSUB', 'chat:lobby']])).toEqual([3, ['chat:lobby', 5]]);
  // Tab A's windows, with messages from tab B's Linus and Barbara.
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
